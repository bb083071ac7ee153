/** RFC 9457 problem details, the body of every 4xx/5xx answer of the API and of the worker's port. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `type` is a stable slug per kind of problem, so clients can branch on it without parsing `detail`. */
export function problem(status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  const title = TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
  const slug = title.toLowerCase().replace(/[^a-z]+/g, '-');
  return { type: `https://vigil.dev/problems/${slug}`, title, status, detail, ...extra };
}

/** Seconds a client should wait before trying again when a dependency is away (Retry-After of a 503). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
