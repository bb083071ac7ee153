import { readJson } from './read-json';

/** Asserts an RFC 9457 problem+json answer with this status, and returns its body for further checks. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function expectProblem(response: Response, status: number): Promise<any> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = await readJson(response);
  expect(body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  return body;
}
