import { useId, type ReactNode } from 'react';
import { findBuiltinDataset } from '../../../engine/data';
import { OPTIMIZERS, type Optimizer } from '../../../engine/model/schema';
import { graphStore, useGraph } from '../../state/graph';
import { SelectChevron } from './icons';
import { formatLearningRate } from './learningRateScale';
import { LearningRateSetting, NumberSetting, SettingRow } from './SettingFields';
import { datasetOptionFields, settingValue } from './settings';

export const OPTIMIZER_LABELS: Record<Optimizer, string> = {
  sgd: 'SGD',
  momentum: 'SGD + momentum',
  rmsprop: 'RMSprop',
  adam: 'Adam',
  adamw: 'AdamW',
};

/** Each optimizer's conventions, where frameworks differ (the exporters and the PyTorch checks follow them). */
export const OPTIMIZER_HELP: Record<Optimizer, string> = {
  sgd: 'w ← w − lr·g. With momentum μ: v ← μ·v + g, w ← w − lr·v (PyTorch’s form). L2 is added to the gradient.',
  momentum: 'SGD with momentum μ (0.9 unless set): v ← μ·v + g, w ← w − lr·v (PyTorch’s form). L2 is added to the gradient.',
  rmsprop: 'Keras’s form: s ← ρ·s + (1−ρ)·g², w ← w − lr·g / √(s + ε), ε = 1e-7 inside the root. L2 is added to the gradient.',
  adam: 'β₁ 0.9, β₂ 0.999, ε = 1e-7 as in Keras (added to √v̂). L2 is added to the gradient (not decoupled).',
  adamw: 'Adam with weight decay decoupled from the gradient: the L2 value is the decay rate; ε = 1e-7 as in Keras.',
};

/**
 * The run's settings. Optimization settings reach a running worker at once; the data settings
 * (split, seed, generator options) make the next Train start over on the new data.
 */
export function SettingsSection() {
  const training = useGraph((s) => s.doc.training);
  const entry = findBuiltinDataset(training.dataset);
  const optionsOf = entry?.kind === 'synthetic' || entry?.kind === 'text' ? entry : undefined;
  const optimizerId = useId();
  return (
    <div className="flex flex-col gap-4">
      <Group title="Optimization">
        <SettingRow id={optimizerId} label="Optimizer">
          <div className="relative">
            <select
              id={optimizerId}
              value={training.optimizer}
              onChange={(e) => graphStore.getState().setTraining({ optimizer: e.target.value as Optimizer })}
              className="h-7 w-full appearance-none rounded-md border border-line bg-canvas pr-7 pl-2 text-xs text-ink hover:border-line-strong"
            >
              {OPTIMIZERS.map((o) => (
                <option key={o} value={o}>
                  {OPTIMIZER_LABELS[o]}
                </option>
              ))}
            </select>
            <SelectChevron />
          </div>
        </SettingRow>
        <p data-testid="optimizer-help" className="-mt-1 text-[11px] leading-4 text-ink-faint">
          {OPTIMIZER_HELP[training.optimizer]}
        </p>
        <LearningRateSetting value={training.learningRate} />
        <NumberSetting field="batchSize" value={training.batchSize} />
        {(training.optimizer === 'sgd' || training.optimizer === 'momentum') && <NumberSetting field="momentum" value={training.momentum} />}
        {training.optimizer === 'rmsprop' && <NumberSetting field="rho" value={training.rho} />}
        <NumberSetting field="l2" value={training.l2} />
        <NumberSetting field="clipNorm" value={training.clipNorm} />
      </Group>
      <Group title="Length">
        <StopAtEpochs checked={training.stopAtEpochs === true} />
        {training.stopAtEpochs && <NumberSetting field="epochs" value={training.epochs} />}
      </Group>
      <Group title="Data" note="Changing these starts training over.">
        <NumberSetting field="testFraction" value={training.testFraction} />
        <NumberSetting field="seed" value={training.seed} />
        {datasetOptionFields(optionsOf).map((field) => (
          <NumberSetting key={field} field={field} value={settingValue(training, field, optionsOf)} />
        ))}
      </Group>
    </div>
  );
}

/** Train until paused (the default, as TensorFlow Playground does), or stop by itself after a number of epochs. */
function StopAtEpochs({ checked }: { checked: boolean }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="flex cursor-pointer items-center gap-2 text-xs text-ink-muted">
        <input id={id} type="checkbox" checked={checked} onChange={(e) => graphStore.getState().setTraining({ stopAtEpochs: e.target.checked || undefined })} className="size-3.5 accent-accent" />
        Stop after a number of epochs
      </label>
      {!checked && <p className="text-[11px] leading-4 text-ink-faint">Off: Train runs until you pause it, so a slow start is never cut short.</p>}
    </div>
  );
}

/** The closed section's one line: "Adam · lr 0.01 · batch 32". */
export function useSettingsSummary(): string {
  const t = useGraph((s) => s.doc.training);
  return `${OPTIMIZER_LABELS[t.optimizer]} · lr ${formatLearningRate(t.learningRate)} · batch ${t.batchSize}`;
}

function Group({ title, note, children }: { title: string; note?: string; children: ReactNode }) {
  const id = useId();
  return (
    <div role="group" aria-labelledby={id} className="flex flex-col gap-2">
      <div className="flex items-baseline justify-between gap-2">
        <h4 id={id} className="text-[10px] font-semibold tracking-wider text-ink-faint uppercase">
          {title}
        </h4>
        {note && <span className="text-[10px] text-ink-faint">{note}</span>}
      </div>
      {children}
    </div>
  );
}
