import { runBackendSuite } from '../src/backend/run-backend-suite.js';
import { memoryTarget } from './teeth/memory-target.js';

runBackendSuite(memoryTarget());
