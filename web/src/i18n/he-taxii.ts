import type { enTaxii } from './en-taxii'

export const heTaxii: typeof enTaxii = {
  taxii: {
    title: 'TAXII ו-STIX',
    subtitle:
      'שירותי מודיעין איומים לקריאה בלבד: TAXII 2.1 עבור SIEM‏, OpenCTI‏, MISP ו-Palo Alto; ‏TAXII 1.1 עם STIX 1.1.1 עבור Cisco Secure Email ‏(ESA). אותם כללי גישה ואסימוני צרכנים כמו בפידים.',
    v21: 'TAXII 2.1 ‏(STIX 2.1)',
    v11: 'TAXII 1.1 ‏(STIX 1.1.1): ‏Cisco ESA',
    v11Hint: 'ב-ESA יש להגדיר את נתיב המשיכה ל-/taxii/poll ואת שם האוסף לאחד השמות שלהלן; אסימון הצרכן נכנס בשדה הסיסמה.',
    v11Collections: 'שמות האוספים:',
    discovery: 'גילוי',
    apiRoot: 'שורש API',
    collections: 'מזהי אוספים',
    collectionId: 'אוסף: {{ name }}',
    allCollection: 'כל הסוגים, כולל הזהות של Moat',
    collectionManagement: 'ניהול אוספים',
    poll: 'שירות משיכה',
    bundle: 'חבילות STIX 2.1',
    bundleAll: 'כל האינדיקטורים הפעילים',
    bundleType: 'סוג אחד (יש להחליף את domain ב-ip‏, url‏, email‏, md5‏, sha1‏, sha256 או hash)',
    publicUrl: 'כתובת בסיס ציבורית',
    publicUrlHint: 'הכתובת שבה ההתקנים מגיעים ל-Moat (למשל https://moat.example.org). שירות הגילוי של TAXII מחלק כתובות שנבנות ממנה; כשהשדה ריק הוא מחלק נתיבים.',
    tlp: 'סימון TLP על אינדיקטורים של STIX',
    tlpHint: 'חל על גרסאות שיפורסמו מעכשיו.',
    tlpOptions: {
      none: 'ללא',
      white: 'TLP:WHITE',
      green: 'TLP:GREEN',
      amber: 'TLP:AMBER',
      red: 'TLP:RED',
    },
    save: 'שמירת הגדרות TAXII',
  },
}
