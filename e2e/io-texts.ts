/** Texts e2e/io-seed.ts writes and e2e/io.spec.ts expects in the export. */
export const HUMAN_EDIT = "Rivers: the Nile and the Amazon and the Danube (edited by a reviewer)";
export const EDITED_PROMPT = "Name three long rivers.";
