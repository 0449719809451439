// What vitest's globalSetup (sdk-js/runtime-tests/llm-global-setup.ts) provides to the workerd
// tests: the base URL of the Node mock LLM upstream.
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    mockLlmUrl: string;
  }
}
