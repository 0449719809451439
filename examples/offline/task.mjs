// The task of the offline-experiment example: what your application does with a record's input
// and the variant's value. Here a stand-in summarizer keeps the first `maxWords` words; in your
// code it would build the prompt, call your chain or agent, and return its answer.
export default function summarize(input, variant) {
  return input.split(/\s+/).slice(0, variant.maxWords).join(" ");
}
