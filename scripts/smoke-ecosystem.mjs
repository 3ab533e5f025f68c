// Packages of the Nest ecosystem against the built package, under plain Node: @nestjs/throttler and
// nestjs-cls are CommonJS requiring Nest 12's ES modules, which Jest cannot load on Node 20, so
// these checks run outside Jest.
// - With the auth APIs as a Nest route (the default), the app's ThrottlerGuard limits /auth/signin.
// - CurrentSession works in an app that also uses nestjs-cls (each keeps its own context).
import 'reflect-metadata';
import { Controller, Get, Injectable, Module, UseGuards } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { ClsModule, ClsService } from 'nestjs-cls';
import { AuthGuard, AuthModule, CurrentSession } from '../dist/auth/index.js';
import { authTestingOptions, createUserAndSession } from '../dist/testing/index.js';

const fail = (message) => {
  console.error(`smoke-ecosystem: ${message}`);
  process.exit(1);
};
const base = (app) => `http://127.0.0.1:${app.getHttpServer().address().port}`;

// 1. @nestjs/throttler
class ThrottledApp {}
Module({
  imports: [
    ThrottlerModule.forRoot([{ ttl: 60_000, limit: 2 }]),
    AuthModule.forRoot(authTestingOptions()),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})(ThrottledApp);
const throttled = await NestFactory.create(ThrottledApp, { logger: false });
await throttled.listen(0, '127.0.0.1');
const statuses = [];
for (let i = 0; i < 3; i++) {
  const response = await fetch(`${base(throttled)}/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ formFields: [] }),
  });
  statuses.push(response.status);
}
await throttled.close();
if (statuses.join() !== '200,200,429') {
  fail(
    `POST /auth/signin answered ${statuses.join(', ')} under ThrottlerGuard, expected 200, 200, 429`,
  );
}

// 2. nestjs-cls beside CurrentSession
class Who {
  constructor(current, cls) {
    this.current = current;
    this.cls = cls;
  }
  who() {
    return { userId: this.current.userId, clsId: this.cls.getId() };
  }
}
Injectable()(Who);
Reflect.defineMetadata('design:paramtypes', [CurrentSession, ClsService], Who);
class WhoController {
  constructor(who) {
    this.who = who;
  }
  me() {
    return this.who.who();
  }
}
Reflect.defineMetadata('design:paramtypes', [Who], WhoController);
Controller()(WhoController);
const me = Object.getOwnPropertyDescriptor(WhoController.prototype, 'me');
Get('me')(WhoController.prototype, 'me', me);
UseGuards(AuthGuard)(WhoController.prototype, 'me', me);
class ClsApp {}
Module({
  imports: [
    ClsModule.forRoot({ global: true, middleware: { mount: true, generateId: true } }),
    AuthModule.forRoot(authTestingOptions()),
  ],
  controllers: [WhoController],
  providers: [Who],
})(ClsApp);
const withCls = await NestFactory.create(ClsApp, { logger: false });
await withCls.listen(0, '127.0.0.1');
const user = await createUserAndSession(withCls);
const answer = await (await fetch(`${base(withCls)}/me`, { headers: user.headers })).json();
await withCls.close();
if (answer.userId !== user.userId || typeof answer.clsId !== 'string') {
  fail(`with nestjs-cls, CurrentSession answered ${JSON.stringify(answer)}`);
}

console.log(
  'smoke-ecosystem: @nestjs/throttler limits the auth APIs (200, 200, 429); CurrentSession works beside nestjs-cls',
);
