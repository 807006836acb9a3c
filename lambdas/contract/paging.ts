/** The most items a list route answers in one page: the largest `limit` it accepts. */
export const PAGE_SIZE_MAX = 100;
