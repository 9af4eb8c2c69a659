import './telemetry';
import { createLogger } from '@argus/logger';
import { bootstrapService } from '@argus/service-kit';
import { loadFeatureConfig } from './feature.config';
import { FeatureModule } from './feature.module';

const config = loadFeatureConfig();
const logger = createLogger({ service: 'feature', level: config.logLevel });
void bootstrapService({
  module: FeatureModule.withConfig(config, logger),
  logger,
  http: { host: config.httpHost, port: config.httpPort },
});
