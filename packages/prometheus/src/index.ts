export { prometheusRecorder, type PrometheusRecorderOptions } from './prometheus-recorder.js';
export { K8S_LATENCY_BUCKETS, LEASE_OBJECT_COUNT_BUCKETS } from './kubernetes-metrics.js';
