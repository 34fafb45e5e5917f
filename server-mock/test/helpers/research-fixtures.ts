/**
 * A video search of the shared test data (jobTestData, 3,000 videos): every
 * video of January 2024, about 40, so that pages of 10 make several.
 */
export const JANUARY_SEARCH = {
  query: {
    and: [
      {
        operation: 'IN',
        field_name: 'video_length',
        field_values: ['SHORT', 'MID', 'LONG', 'EXTRA_LONG']
      }
    ]
  },
  start_date: '20240101',
  end_date: '20240131',
  max_count: 10
};
