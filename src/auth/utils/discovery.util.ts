import type { Type } from '@nestjs/common';
import type { DiscoveryService, MetadataScanner } from '@nestjs/core';

/** A route handler: only read for its metadata here. */
type Handler = (...args: never[]) => unknown;

/** A controller's method, as the app's routes are made from. */
export interface ControllerMethod {
  controller: Type;
  name: string;
  handler: Handler;
}

/** Every method of every controller of the app. */
export function controllerMethods(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
): ControllerMethod[] {
  return discovery.getControllers().flatMap(({ metatype, instance }) => {
    if (typeof metatype !== 'function' || !instance) return [];
    const prototype = Object.getPrototypeOf(instance) as Record<string, Handler>;
    return scanner
      .getAllMethodNames(prototype)
      .map((name) => ({ controller: metatype as Type, name, handler: prototype[name] }));
  });
}

/** The names of the app's providers and controllers whose constructor asks for `type`. */
export function classesInjecting(discovery: DiscoveryService, type: Type): string[] {
  return [...discovery.getControllers(), ...discovery.getProviders()].flatMap(({ metatype }) => {
    if (typeof metatype !== 'function') return [];
    const injected = (Reflect.getMetadata('design:paramtypes', metatype) ?? []) as unknown[];
    return injected.includes(type) ? [metatype.name] : [];
  });
}
