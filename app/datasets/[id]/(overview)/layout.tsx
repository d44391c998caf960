import { authorizedDatasetLayout } from "../load-dataset";

export default authorizedDatasetLayout("datasets:read", "");
