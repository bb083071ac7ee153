import { readJson } from './read-json';
import type { TestApi } from './test-api';

/** A report recorded by the admin API (POST /v1/admin/incidents); throws unless answered 201. Its incident's id. */
export async function recordReport(api: TestApi, report: Record<string, unknown>): Promise<string> {
  const response = await api.request('/v1/admin/incidents', { method: 'POST', admin: true, json: report });
  if (response.status !== 201) throw new Error(`report not recorded: ${response.status} ${await response.text()}`);
  return (await readJson(response)).incidentId;
}
