import type { enGraph } from './en-graph'

export const heGraph: typeof enGraph = {
  graph: {
    title: 'גרף קמפיינים',
    subtitle: 'קמפיינים עם ה-IOC וחוקי ה-YARA שלהם. לחצו על צומת כדי לפתוח אותו.',
    filters: 'מסננים',
    campaigns: 'קמפיינים',
    allCampaigns: 'כל הקמפיינים',
    types: 'סוגים',
    activeOnly: 'פעילים בלבד',
    search: 'חיפוש',
    searchPlaceholder: 'ערך, קובץ או שם קמפיין',
    clear: 'ניקוי מסננים',
    legend: 'מקרא',
    campaign: 'קמפיין',
    yara: 'חוק YARA',
    exportCsv: 'ייצוא CSV',
    exportPng: 'ייצוא PNG',
    counts: '{{ nodes }} צמתים, {{ edges }} קשרים',
    truncated: 'מוצגים {{ shown }} מתוך {{ matched }} צמתים (מגבלה {{ limit }}). צמצמו את המסננים כדי לראות את השאר.',
    empty: 'אין תוצאות למסננים האלה.',
    canvasLabel: 'גרף של קמפיינים והאינדיקטורים שלהם',
    openGraph: 'פתיחה בגרף',
    fit: 'התאמה למסך',
  },
}
