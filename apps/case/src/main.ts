import './telemetry';
import { KafkaRuntime } from '@argus/kafka';
import { AvroBatchTransport } from '@argus/kafka/nest';
import { createLogger } from '@argus/logger';
import { bootstrapService } from '@argus/service-kit';
import { caseApiDocument } from './api/openapi.document';
import { OpenApiDocumentHolder } from './api/openapi.controller';
import { loadCaseConfig } from './case.config';
import { CaseModule } from './case.module';

const config = loadCaseConfig();
const logger = createLogger({ service: 'case', level: config.logLevel });
void bootstrapService({
  module: CaseModule.withConfig(config, logger),
  logger,
  http: { host: config.httpHost, port: config.httpPort },
  beforeListen: (app) => {
    app.get(OpenApiDocumentHolder).document = caseApiDocument(app);
  },
  transports: (app) => [new AvroBatchTransport(app.get(KafkaRuntime), 'argus-case', logger)],
});
