import { Center, Loader } from '@mantine/core';

/** While a page's code is fetched on the first load (no text: it lasts a moment). */
export function PageLoading() {
  return (
    <Center py="xl">
      <Loader aria-hidden />
    </Center>
  );
}
