import { createLogger } from '@argus/logger';
import { bootstrapService } from '@argus/service-kit';
import { loadConsoleConfig } from './console.config';
import { ConsoleModule } from './console.module';
import { registerConsoleRoutes } from './console.routes';

const config = loadConsoleConfig();
const logger = createLogger({ service: 'console', level: config.logLevel });
void bootstrapService({
  module: ConsoleModule.withConfig(config, logger),
  logger,
  http: { host: config.httpHost, port: config.httpPort },
  beforeListen: (app) => registerConsoleRoutes(app, config),
});
