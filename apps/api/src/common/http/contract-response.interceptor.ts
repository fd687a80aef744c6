import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RouteDefinition } from '@haven/contracts';
import { map, type Observable } from 'rxjs';
import { ROUTE_CONTRACT } from './route.decorator';

/** A handler returned something its contract does not allow: a bug of ours, so a 500. */
export class ResponseContractError extends Error {
  constructor(route: RouteDefinition, problems: string) {
    super(`response of ${route.method} ${route.path} breaks its contract at ${problems}`);
    this.name = 'ResponseContractError';
  }
}

/**
 * Parses every response through its route's schema. Keys the schema does not declare are
 * stripped, so a handler that returns a whole row cannot leak columns the contract omits.
 */
@Injectable()
export class ContractResponseInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const route = this.reflector.get<RouteDefinition | undefined>(
      ROUTE_CONTRACT,
      context.getHandler(),
    );
    if (!route) return next.handle();
    return next.handle().pipe(
      map((value: unknown) => {
        const parsed = route.response.safeParse(value);
        if (parsed.success) return parsed.data;
        // Paths and issue codes only: the values themselves may be sensitive.
        const where = parsed.error.issues
          .map((i) => `${i.path.join('.') || '(root)'} (${i.code})`)
          .join(', ');
        throw new ResponseContractError(route, where);
      }),
    );
  }
}
