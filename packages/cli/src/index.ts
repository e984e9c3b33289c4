export { runDemo, type DemoOptions } from './demo.js';
