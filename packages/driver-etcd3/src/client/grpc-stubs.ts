import type * as grpc from '@grpc/grpc-js';
import type {
  ICompactionRequest,
  ICompactionResponse,
  ILeaseGrantRequest,
  ILeaseGrantResponse,
  ILeaseRevokeRequest,
  ILeaseRevokeResponse,
  IRangeRequest,
  IRangeResponse,
  IStatusResponse,
  ITxnRequest,
  ITxnResponse,
  IWatchRequest,
  IWatchResponse,
} from 'etcd3';

/** The raw bidirectional watch stream (etcd `Watch` RPC). */
export type WatchStream = grpc.ClientDuplexStream<IWatchRequest, IWatchResponse>;

type Callback<T> = (err: grpc.ServiceError | null, res: T) => void;
type UnaryMethod<Req, Res> = (req: Req, metadata: grpc.Metadata, options: grpc.CallOptions, cb: Callback<Res>) => grpc.ClientUnaryCall;

// The service clients etcd3's `Host.getServiceClient` builds from etcd's rpc.proto (camel-cased method names).
export interface KvStub extends grpc.Client {
  range: UnaryMethod<IRangeRequest, IRangeResponse>;
  txn: UnaryMethod<ITxnRequest, ITxnResponse>;
  compact: UnaryMethod<ICompactionRequest, ICompactionResponse>;
}
export interface LeaseStub extends grpc.Client {
  leaseGrant: UnaryMethod<ILeaseGrantRequest, ILeaseGrantResponse>;
  leaseRevoke: UnaryMethod<ILeaseRevokeRequest, ILeaseRevokeResponse>;
}
export interface MaintenanceStub extends grpc.Client {
  status: UnaryMethod<object, IStatusResponse>;
}
export interface WatchStub extends grpc.Client {
  watch(metadata: grpc.Metadata, options: grpc.CallOptions): WatchStream;
}

/** The etcd3 package's service names, mapped to the stub each one yields. */
export interface Stubs {
  KV: KvStub;
  Lease: LeaseStub;
  Maintenance: MaintenanceStub;
  Watch: WatchStub;
}
