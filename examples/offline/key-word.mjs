// A user evaluator of the offline-experiment example: does the summary keep the expected
// summary's longest word (usually the one that matters)? Returns a pass/fail with its reason.
export default function keyWord(input, output, expected) {
  const word = expected.split(/\s+/).sort((a, b) => b.length - a.length)[0].toLowerCase();
  const kept = output.toLowerCase().includes(word);
  return { value: kept, reasoning: kept ? `keeps "${word}"` : `drops "${word}"` };
}
