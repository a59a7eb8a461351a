/**
 * What "no theme" looks like: the pages every site has whatever it is about. Each group competes
 * with the themes as one more reference, and a page is given a theme only when the theme is nearer
 * than the nearest of these. A threshold on the best theme's score cannot do this: a login page is
 * not far from every theme, it is just nearer to "sign in, password" than to any of them, and how
 * near a page is to its true theme varies more from page to page than the threshold could allow.
 * Written in English (pages in other languages are read in the English space, see word-lookup.ts),
 * as plain furniture vocabulary, not as copies of any test page. Words that can carry a topic
 * ("archive", "tags", "membership") are left out: a blog archive or a gym membership page is about
 * something, and such a word pulled topical pages towards "no theme".
 */
export const NO_THEME_REFERENCES: readonly { id: string; text: string }[] = [
  {
    id: 'account',
    text: 'Sign in or log in to your account with your username and password. Register, create an account, forgot your password, reset password, verify your email address, user profile and settings.',
  },
  {
    id: 'legal',
    text: 'Terms and conditions, terms of service and terms of use, legal notice, privacy policy, cookie policy and cookie consent, personal data, data protection, disclaimer, copyright, accessibility statement.',
  },
  {
    id: 'error',
    text: 'Page not found: error 404. The page you are looking for does not exist or has been moved. Broken link, server error, go back to the home page.',
  },
  {
    id: 'shop',
    text: 'Shopping cart and basket, checkout, secure payment by card, order confirmation, track your order and parcel, delivery and shipping costs, returns and refunds, invoice, promo code.',
  },
  {
    id: 'help',
    text: 'Contact us: customer service, help centre and support, frequently asked questions, opening hours, postal address, phone number, contact form, sitemap.',
  },
  {
    id: 'newsletter',
    text: 'Subscribe to our newsletter: email signup, unsubscribe, notification and email preferences, manage your subscription.',
  },
  {
    id: 'company',
    text: 'About us and our company: careers, jobs and vacancies, apply now, press releases, partners, advertise with us, investor relations.',
  },
  {
    id: 'search',
    text: 'Search results: showing results, sort by relevance, filter and refine your search, next page, no results found.',
  },
];
