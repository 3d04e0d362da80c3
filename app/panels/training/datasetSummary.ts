import { findBuiltinDataset } from '../../../engine/data';
import { CSV_DATASET_ID } from '../../state/csvReading';
import { useCsvUpload } from '../../state/csv';
import { useGraph } from '../../state/graph';

/**
 * A short name for the closed Dataset section's summary. Apart from DatasetSection, which (with its
 * previews and the CSV upload) loads when the section is first opened.
 */
export function useDatasetSummary(): string {
  const dataset = useGraph((s) => s.doc.training.dataset);
  const fileName = useCsvUpload((s) => s.reading?.fileName);
  if (dataset === CSV_DATASET_ID) return fileName ?? 'CSV (none loaded)';
  return findBuiltinDataset(dataset)?.name ?? dataset;
}
