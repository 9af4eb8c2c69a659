import './telemetry';
import { createLogger } from '@argus/logger';
import { bootstrapService } from '@argus/service-kit';
import { loadGatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';

const config = loadGatewayConfig();
const logger = createLogger({ service: 'gateway', level: config.logLevel });
void bootstrapService({
  module: GatewayModule.withConfig(config, logger),
  logger,
  http: { host: config.httpHost, port: config.httpPort },
});
