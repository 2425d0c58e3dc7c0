import { Server, status } from "@grpc/grpc-js";
import type { ServerUnaryCall, ServerWritableStream, ServerDuplexStream, sendUnaryData, UntypedServiceImplementation } from "@grpc/grpc-js";
import type { Provider } from "../types.js";
import { ProviderService } from "./provider-service.js";
import { serviceDefinition } from "./proto.js";
import type { Message } from "./proto.js";
import { errorToDiagnostic } from "./wire.js";
import type { StdioForwarder } from "./stdio.js";

type Unary = (call: ServerUnaryCall<Message, Message>, callback: sendUnaryData<Message>) => void;

/** Options for {@link createPluginServer}. */
export interface PluginServerOptions {
  /** What `plugin.GRPCController/Shutdown` does (exit the process, or nothing in reattach mode). */
  readonly onShutdown: () => void;
  /** Where `plugin.GRPCStdio/StreamStdio` gets the provider's stdout/stderr from. */
  readonly stdio?: StdioForwarder;
}

/**
 * Builds the gRPC server a plugin process exposes: tfplugin6.Provider plus go-plugin's
 * controller, stdio, broker and the health service.
 */
export function createPluginServer(provider: Provider, options: PluginServerOptions): Server {
  const service = new ProviderService(provider);
  // Terraform sends big schemas and states: lift grpc's 4 MiB default limits.
  const server = new Server({ "grpc.max_receive_message_length": 256 * 1024 * 1024, "grpc.max_send_message_length": 256 * 1024 * 1024 });

  const unary =
    (fn: (req: Message, peer: string) => Promise<Message> | Message): Unary =>
    (call, callback) => {
      Promise.resolve()
        .then(() => fn(call.request, call.getPeer()))
        .then(
          (res) => callback(null, res),
          (error: unknown) => {
            // Unknown type names and similar: answer with a diagnostic Terraform can print
            // rather than a transport error.
            const d = errorToDiagnostic(error);
            callback(null, { diagnostics: [{ severity: 1, summary: d.summary, detail: d.detail ?? "" }] });
          },
        );
    };

  const providerImpl: UntypedServiceImplementation = {
    GetMetadata: unary(() => service.getMetadata()),
    GetProviderSchema: unary(() => service.getProviderSchema()),
    ValidateProviderConfig: unary((r) => service.validateProviderConfig(r)),
    ValidateResourceConfig: unary((r) => service.validateResourceConfig(r)),
    ValidateDataResourceConfig: unary((r) => service.validateDataResourceConfig(r)),
    UpgradeResourceState: unary((r) => service.upgradeResourceState(r)),
    ConfigureProvider: unary((r, p) => service.configureProvider(r, p)),
    ReadResource: unary((r, p) => service.readResource(r, p)),
    PlanResourceChange: unary((r, p) => service.planResourceChange(r, p)),
    ApplyResourceChange: unary((r, p) => service.applyResourceChange(r, p)),
    ImportResourceState: unary((r, p) => service.importResourceState(r, p)),
    ReadDataSource: unary((r, p) => service.readDataSource(r, p)),
    GetFunctions: unary(() => service.getFunctions()),
    StopProvider: unary(() => service.stopProvider()),
    MoveResourceState: unary((r) => service.moveResourceState(r)),
    ValidateEphemeralResourceConfig: unimplemented,
    OpenEphemeralResource: unimplemented,
    RenewEphemeralResource: unimplemented,
    CloseEphemeralResource: unimplemented,
    CallFunction: unimplemented,
  };
  server.addService(serviceDefinition("tfplugin6.Provider"), providerImpl);

  server.addService(serviceDefinition("plugin.GRPCController"), {
    Shutdown: ((_call, callback) => {
      callback(null, {});
      options.onShutdown();
    }) satisfies Unary,
  });
  server.addService(serviceDefinition("plugin.GRPCStdio"), {
    StreamStdio: (call: ServerWritableStream<Message, Message>) => {
      if (options.stdio) options.stdio.attach(call);
      // Without a forwarder the stream simply stays open until the connection ends.
    },
  });
  server.addService(serviceDefinition("plugin.GRPCBroker"), {
    // No sub-plugins are brokered; keep the stream open and ignore what arrives.
    StartStream: (call: ServerDuplexStream<Message, Message>) => {
      call.on("data", () => undefined);
      call.on("end", () => call.end());
    },
  });
  server.addService(serviceDefinition("grpc.health.v1.Health"), {
    Check: ((_call, callback) => callback(null, { status: 1 })) satisfies Unary,
  });
  return server;
}

const unimplemented: Unary = (_call, callback) => callback({ code: status.UNIMPLEMENTED, details: "not implemented by this provider" });
