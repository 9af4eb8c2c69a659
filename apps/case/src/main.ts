import './telemetry';
import { KafkaRuntime, OFF_PATH_FETCH } from '@argus/kafka';
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
  // Cases are off the decision path: their consumers gather a quarter of a second of records per fetch.
  transports: (app) => [new AvroBatchTransport(app.get(KafkaRuntime), 'argus-case', logger, { fetch: OFF_PATH_FETCH })],
});
