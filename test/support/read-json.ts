/** Response bodies in tests are whatever the API sent; the assertions say what they must be. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const readJson = (response: Response): Promise<any> => response.json();
