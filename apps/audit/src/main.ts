import './telemetry';
import { createLogger } from '@argus/logger';
import { bootstrapService } from '@argus/service-kit';
import { loadAuditConfig } from './audit.config';
import { AuditModule } from './audit.module';

const config = loadAuditConfig();
const logger = createLogger({ service: 'audit', level: config.logLevel });
void bootstrapService({
  module: AuditModule.withConfig(config, logger),
  logger,
  http: { host: config.httpHost, port: config.httpPort },
});
