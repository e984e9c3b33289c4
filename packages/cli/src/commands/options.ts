import { isInvalidSelectorError, parseFieldSelector, parseLabelSelector } from '@storagebackend/core';
import { Option, type Command } from 'commander';
import { OUTPUT_FORMATS, type OutputFormat } from '../output.js';
import { UsageError } from '../usage-error.js';

export interface OutputOptions {
  readonly output: OutputFormat;
}

export interface ScopeOptions {
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
}

export interface SelectorOptions {
  readonly selector?: string;
  readonly fieldSelector?: string;
}

export const outputOption = (): Option =>
  new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table');

export function addScope(command: Command, all = true): Command {
  command.option('-n, --namespace <namespace>', 'namespace of namespaced resources (default "default")');
  if (all) command.option('-A, --all-namespaces', 'every namespace of the resource');
  return command.option('--key <key>', 'a raw key under the prefix instead of RESOURCE/NAME, e.g. /pods/default/web-0');
}

export function addSelectors(command: Command): Command {
  return command
    .option('-l, --selector <selector>', "label selector, e.g. 'app=web,tier in (front,back)'")
    .option('--field-selector <selector>', "field selector, e.g. 'metadata.name=web-0,spec.nodeName!=n1'");
}

/** Parses the selectors up front, so a bad one is a usage error (exit 2) before anything is opened. */
export function checkSelectors(opts: SelectorOptions): { label?: string; field?: string } {
  try {
    if (opts.selector !== undefined) parseLabelSelector(opts.selector);
    if (opts.fieldSelector !== undefined) parseFieldSelector(opts.fieldSelector);
  } catch (e) {
    if (isInvalidSelectorError(e)) throw new UsageError((e as Error).message);
    throw e;
  }
  return {
    ...(opts.selector === undefined ? {} : { label: opts.selector }),
    ...(opts.fieldSelector === undefined ? {} : { field: opts.fieldSelector }),
  };
}

/** A resource version flag: a non-negative integer. */
export function checkResourceVersion(value: string | undefined, flag = '--resource-version'): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`invalid ${flag} ${JSON.stringify(value)}: expected a non-negative integer`);
  return value;
}

export function checkCount(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`invalid ${flag} ${JSON.stringify(value)}: expected a non-negative integer`);
  }
  return Number(value);
}

export function checkKeyOrResource(key: string | undefined, resource: string | undefined, what: string): void {
  if (key !== undefined && resource !== undefined) throw new UsageError(`give either RESOURCE or --key for ${what}, not both`);
}

/** Commander collector for a repeatable flag (`-f a -f b`). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
