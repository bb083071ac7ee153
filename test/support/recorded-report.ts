import { readJson } from './read-json';
import type { TestApi } from './test-api';

/** A report recorded by the admin API (POST /v1/admin/incidents); throws unless answered 201. Its incident's id. */
export async function recordReport(api: TestApi, report: Record<string, unknown>): Promise<string> {
  const response = await api.request('/v1/admin/incidents', { method: 'POST', admin: true, json: report });
  if (response.status !== 201) throw new Error(`report not recorded: ${response.status} ${await response.text()}`);
  return (await readJson(response)).incidentId;
}

/** An admin's action on an incident (POST /v1/admin/incidents/{id}/resolve, /merge …), answered as it came. */
export function incidentAction(
  api: TestApi,
  id: string,
  action: 'resolve' | 'merge',
  json: unknown,
): Promise<Response> {
  return api.request(`/v1/admin/incidents/${id}/${action}`, { method: 'POST', admin: true, json });
}
