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
        <LearningRateSetting value={training.learningRate} />
        <NumberSetting field="batchSize" value={training.batchSize} />
        <NumberSetting field="epochs" value={training.epochs} />
        <NumberSetting field="l2" value={training.l2} />
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
