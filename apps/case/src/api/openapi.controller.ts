import { CaseApiErrorFilter } from './case-api.filter';
import { Controller, Get, Inject, Injectable, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import { Public, CaseAuthGuard } from './case-auth.guard';

/** The generated API description, set by main.ts once the app's routes exist (`caseApiDocument`). */
@Injectable()
export class OpenApiDocumentHolder {
  document: OpenAPIObject | null = null;
}

/** The API description, unauthenticated, for client generators (the console's client) and explorers. */
@ApiExcludeController()
@Controller('v1')
@UseGuards(CaseAuthGuard)
@UseFilters(CaseApiErrorFilter)
export class OpenApiController {
  constructor(@Inject(OpenApiDocumentHolder) private readonly holder: OpenApiDocumentHolder) {}

  @Public()
  @Get('openapi.json')
  document(): OpenAPIObject | { message: string } {
    return this.holder.document ?? { message: 'the API description is being generated' };
  }
}
