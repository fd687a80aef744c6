import { DashboardPage } from './pages/DashboardPage';
import { expect, test } from './support/fixtures';

test.describe('dashboard language', () => {
  test.describe('in an English browser', () => {
    test.use({ locale: 'en-US' });

    test('switches between English and Russian, text and <html lang>', async ({ page }) => {
      const dashboard = new DashboardPage(page);
      await dashboard.open('/sign-in');
      await expect(dashboard.heading).toHaveText('Sign in');
      await expect(dashboard.header.getByLabel('Language')).toHaveValue('en');

      await dashboard.chooseLanguage('ru');
      await expect(dashboard.heading).toHaveText('Вход');
      await expect(dashboard.navigationLinks()).toHaveText(['Вход']);
      await expect(dashboard.header.getByLabel('Язык')).toHaveValue('ru');
      await expect(page).toHaveTitle('Вход · Haven');
      await expect(page.locator('html')).toHaveAttribute('lang', 'ru');

      await dashboard.chooseLanguage('en');
      await expect(dashboard.heading).toHaveText('Sign in');
      await expect(page).toHaveTitle('Sign in · Haven');
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    });

    test('does not remember the choice: a reload starts from the browser language', async ({
      page,
    }) => {
      const dashboard = new DashboardPage(page);
      await dashboard.open('/sign-in');
      await dashboard.chooseLanguage('ru');
      await expect(dashboard.heading).toHaveText('Вход');

      await page.reload();
      await expect(dashboard.heading).toHaveText('Sign in');
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    });
  });

  test.describe('in a Russian browser', () => {
    test.use({ locale: 'ru-RU' });

    test('starts in Russian', async ({ page }) => {
      const dashboard = new DashboardPage(page);
      await dashboard.open('/sign-in');

      await expect(dashboard.heading).toHaveText('Вход');
      await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
      await expect(dashboard.skipLink).toHaveText('Перейти к основному содержимому');
    });
  });
});
