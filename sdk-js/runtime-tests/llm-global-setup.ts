// Starts the mock LLM upstream in Node for the workerd tests, which reach it over the loopback
// (`inject("mockLlmUrl")`), and stops it after them.
import type { TestProject } from "vitest/node";
import { startMockLlm } from "../../scripts/lib/mock-llm.ts";

declare module "vitest" {
  export interface ProvidedContext {
    mockLlmUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mock = await startMockLlm();
  project.provide("mockLlmUrl", mock.url);
  return () => mock.close();
}
