import { Controller, Get } from '@nestjs/common';
import { OPENAPI_DOCUMENT, type OpenApiDocument } from './openapi.document';

/** The API description, unauthenticated, for client generators and API explorers. */
@Controller('v1')
export class OpenApiController {
  @Get('openapi.json')
  document(): OpenApiDocument {
    return OPENAPI_DOCUMENT;
  }
}
