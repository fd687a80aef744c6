import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { RouteDefinition } from '@haven/contracts';
import { ROUTE_CONTRACT } from '../common/http/route.decorator';
import type { AccessPolicy } from './policy.decorator';
import { policyOf } from './policy.guard';

/** One route served by a Nest controller, with what it declares about itself. */
export interface InventoriedRoute {
  method: string;
  path: string;
  handler: string;
  policy: AccessPolicy | undefined;
  contract: RouteDefinition | undefined;
}

function joinPath(...parts: (string | undefined)[]): string {
  const joined = parts
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p !== '')
    .join('/');
  return `/${joined}`;
}

/**
 * Every controller route of an initialised app. Used by the tests that enforce "every route has
 * a policy and a contract", and by the role × route authorisation matrix.
 */
export function routeInventory(app: INestApplication): InventoriedRoute[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const routes: InventoriedRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null;
    if (!controller) continue;
    const prototype = controller.prototype as Record<string, unknown>;
    const base = reflector.get<string | string[] | undefined>(PATH_METADATA, controller);
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: never[]) => unknown;
      const paths = reflector.get<string | string[] | undefined>(PATH_METADATA, handler);
      if (paths === undefined) continue;
      const method = reflector.get<RequestMethod>(METHOD_METADATA, handler);
      for (const basePath of [base].flat()) {
        for (const path of [paths].flat()) {
          routes.push({
            method: RequestMethod[method],
            path: joinPath(basePath, path),
            handler: `${controller.name}.${name}`,
            policy: policyOf(reflector, handler, controller),
            contract: reflector.get<RouteDefinition | undefined>(ROUTE_CONTRACT, handler),
          });
        }
      }
    }
  }
  return routes;
}
