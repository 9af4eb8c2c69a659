import './telemetry';
import { createLogger } from '@argus/logger';
import { bootstrapService } from '@argus/service-kit';
import { loadRulesConfig } from './rules.config';
import { RulesModule } from './rules.module';

const config = loadRulesConfig();
const logger = createLogger({ service: 'rules', level: config.logLevel });
void bootstrapService({
  module: RulesModule.withConfig(config, logger),
  logger,
  http: { host: config.httpHost, port: config.httpPort },
});
