import * as grpc from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import { loadDefinition, loadDefinitions, type ProtoFile } from "./protos.ts";

interface ReflectionImpl {
  handleServerReflectionRequest(message: unknown): unknown;
}

/**
 * Server reflection (v1 and v1alpha) so grpcurl/grpcui work without the .proto files.
 * ReflectionService.addToServer reads its .proto files from its own package folder, which a
 * bundle does not have; so the service definitions come from our proto/ folder and only the
 * request handling (the descriptor index) comes from @grpc/reflection.
 */
export function addReflection(server: grpc.Server, described: ProtoFile[]): void {
  const reflection = new ReflectionService(loadDefinitions([...described, "health"])) as unknown as {
    v1: ReflectionImpl;
    v1Alpha: ReflectionImpl;
  };
  const versions = [
    ["v1", loadDefinition("reflectionV1"), reflection.v1],
    ["v1alpha", loadDefinition("reflectionV1alpha"), reflection.v1Alpha],
  ] as const;
  for (const [version, definition, impl] of versions) {
    const pkg = grpc.loadPackageDefinition(definition) as unknown as {
      grpc: { reflection: Record<string, { ServerReflection: grpc.ServiceClientConstructor }> };
    };
    const service = pkg.grpc.reflection[version]?.ServerReflection.service;
    if (!service) throw new Error(`reflection ${version} proto has no ServerReflection service`);
    server.addService(service, {
      ServerReflectionInfo: (stream: grpc.ServerDuplexStream<unknown, unknown>) => {
        stream.on("end", () => stream.end());
        stream.on("data", (message) => stream.write(impl.handleServerReflectionRequest(message)));
      },
    });
  }
}
