/** Operational commands registered as they exist: coverage, reset, prepare, finalize, introspect. */
import type { Command } from 'commander';
import type { Io } from '../main.js';

export function registerOps(_program: Command, _io: Io): void {}
