/**
 * Builds the configured application without listening. main.ts listens on it; integration tests
 * use `app.inject()` or listen on port 0; the benchmark does the same as main.ts.
 */
import 'reflect-metadata';
import { initCrypto } from '@haven/crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, type ModuleImports } from './app.module';
import { captureFastifyErrorCodes } from './common/errors/fastify-error-codes';
import { frameworkErrorHandler } from './common/errors/framework-errors';
import { applyRouteBodyLimit, DEFAULT_BODY_LIMIT } from './common/http/body-limit.decorator';
import { closeConnectionsWhenClosing } from './common/http/graceful-close';
import { registerSecurityHeaders } from './common/http/security-headers';
import {
  fastifyLoggerOptions,
  type LogDestination,
  NestPinoLogger,
  RequestLogController,
} from './common/logging/logging';
import type { AppConfig } from './config/config';

export interface CreateAppOptions {
  /** Extra modules mounted into the app (tests only). */
  imports?: ModuleImports;
  /** Where Fastify's JSON log lines go; stdout when absent. */
  logDestination?: LogDestination;
}

/** A route as Fastify registered it (including any added outside Nest). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

const routeTables = new WeakMap<NestFastifyApplication, RegisteredRoute[]>();

/** Fastify's complete route table for an app made by `createApp`. */
export function registeredRoutes(app: NestFastifyApplication): RegisteredRoute[] {
  return [...(routeTables.get(app) ?? [])];
}

export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  // libsodium's WebAssembly must be ready before any feature hashes, verifies or seals.
  await initCrypto();
  const production = config.nodeEnv === 'production';
  const adapter = new FastifyAdapter({
    logger: fastifyLoggerOptions(config.logLevel, options.logDestination),
    logController: new RequestLogController(),
    // Never believe X-Forwarded-For: client addresses are not ours to know or log.
    trustProxy: false,
    // Request ids are ours; a client-chosen id could be used to forge log lines.
    requestIdHeader: false,
    bodyLimit: DEFAULT_BODY_LIMIT,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // While closing, requests on kept-alive connections get 503 instead of hanging.
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler(production),
  });
  const fastify = adapter.getInstance();
  // JSON only. Fastify also parses text/plain by default; without it such bodies (and forms,
  // which Nest's parser is disabled for below) get 415, which also blocks simple CSRF posts.
  fastify.removeContentTypeParser('text/plain');
  registerSecurityHeaders(fastify, production);
  captureFastifyErrorCodes(fastify);
  closeConnectionsWhenClosing(fastify);
  const table: RegisteredRoute[] = [];
  fastify.addHook('onRoute', (route) => {
    applyRouteBodyLimit(route);
    for (const method of [route.method].flat()) table.push({ method, url: route.url });
  });

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options.imports),
    adapter,
    { bodyParser: false, logger: new NestPinoLogger(fastify.log), abortOnError: false },
  );
  routeTables.set(app, table);
  await app.init();
  return app;
}
