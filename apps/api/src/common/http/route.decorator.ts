import {
  applyDecorators,
  HttpCode,
  RequestMapping,
  RequestMethod,
  SetMetadata,
} from '@nestjs/common';
import type { RouteDefinition } from '@haven/contracts';

export const ROUTE_CONTRACT = 'haven:route-contract';

/**
 * Binds a handler to its entry in the contracts' route registry: method, full path and success
 * status come from the entry (controllers use `@Controller()` without a prefix), and the
 * response is checked against the entry's schema before it is sent.
 */
export function Route(route: RouteDefinition): MethodDecorator {
  return applyDecorators(
    RequestMapping({ path: route.path, method: RequestMethod[route.method] }),
    HttpCode(route.status ?? 200),
    SetMetadata(ROUTE_CONTRACT, route),
  );
}
