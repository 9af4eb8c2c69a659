import './telemetry';
import { createLogger } from '@argus/logger';
import { bootstrapService } from '@argus/service-kit';
import { loadIngestionConfig } from './ingestion.config';
import { IngestionModule } from './ingestion.module';

const config = loadIngestionConfig();
const logger = createLogger({ service: 'ingestion', level: config.logLevel });
void bootstrapService({
  module: IngestionModule.withConfig(config, logger),
  logger,
  http: { host: config.httpHost, port: config.httpPort },
});
