// lint as: components/datasets/component-imports-page.tsx
// A component importing a page module (only app/**/actions.ts may be imported from app/).
import DatasetPage from "@/app/datasets/[id]/(overview)/page";
import { loadDatasetPage } from "../../app/datasets/[id]/load-dataset";

export function Wrapper() {
  return <DatasetPage params={loadDatasetPage("1", "datasets:read", "/")} />;
}
