import { commonSettings, httpSettings, loadConfig, postgresSettings, type ConfigOf } from '@argus/config';

export const auditSettings = { ...commonSettings, ...postgresSettings, ...httpSettings };

export type AuditConfig = ConfigOf<typeof auditSettings>;

export function loadAuditConfig(): AuditConfig {
  return loadConfig(auditSettings);
}
