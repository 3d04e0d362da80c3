/** "Test image ← 3 / 2000 →": steps through a split's samples, for the views that show one at a time (attention, feature maps). */
import { Button } from './Button';

interface SampleStepperProps {
  /** What a sample is called: "sample", "image" (the label says "Test image", the buttons "Previous image"). */
  noun: string;
  /** The sample shown, from 0. */
  index: number;
  count: number;
  onChange(index: number): void;
  testId?: string;
}

export function SampleStepper({ noun, index, count, onChange, testId }: SampleStepperProps) {
  return (
    <>
      <span className="text-ink-muted">Test {noun}</span>
      <Button aria-label={`Previous ${noun}`} disabled={index === 0} onClick={() => onChange(Math.max(0, index - 1))}>
        ←
      </Button>
      <span className="w-24 text-center font-mono tabular-nums" {...(testId ? { 'data-testid': testId } : {})}>
        {index + 1} / {count}
      </span>
      <Button aria-label={`Next ${noun}`} disabled={index >= count - 1} onClick={() => onChange(Math.min(Math.max(0, count - 1), index + 1))}>
        →
      </Button>
    </>
  );
}
