import { Controller } from '@nestjs/common';
import { type OpenApiDocument, routes } from '@haven/contracts';
import { Policy } from '../access/policy.decorator';
import { Route } from '../common/http/route.decorator';
import { buildOpenApiDocument } from './document';

@Controller()
export class OpenApiController {
  private document: OpenApiDocument | undefined;

  /** The JSON document only: no Swagger UI, so no third-party scripts are ever served. */
  @Route(routes.docs)
  @Policy({ public: true })
  docs(): OpenApiDocument {
    this.document ??= buildOpenApiDocument() as OpenApiDocument;
    return this.document;
  }
}
