/*
 * Function words, accent-folded and lower-cased like the tokens they filter. They carry no topic,
 * and in a mean of word vectors they would pull every page towards the same place. The lists are
 * short on purpose: the frequency weight already quietens common words, so these only need to
 * remove the ones that are both frequent and meaningless. They also drive language detection.
 */

const ENGLISH = `a about above after again against all also am an and any are aren as at be because been before
being below between both but by can cannot could couldn did didn do does doesn doing don down during each
few for from further get gets got had hadn has hasn have haven having he her here hers herself him himself
his how i if in into is isn it its itself just let ll me more most my myself no nor not now of off on once only
or other our ours ourselves out over own re s same she should so some such t than that the their theirs them
themselves then there these they this those through to too under until up us ve very was wasn we were weren
what when where which while who whom why will with won would wouldn you your yours yourself yourselves
one two three four five six seven eight nine ten new first last every many much may might must shall
via per yet ever still even whether every`;

const FRENCH = `a ai aie aient aies ait alors as au aucun aucune aupres aura aurai auraient aurais aurait aux avaient
avais avait avant avec avez aviez avions avoir avons ayant c ca ce ceci cela celle celles celui cependant ces cet
cette ceux chaque chez ci comme comment d dans de des deux dont donc du elle elles en encore entre es est et
etaient etais etait etant ete etre eu eux fait faire fois font hors il ils j je jusqu l la le les leur leurs lui m
ma mais me meme memes mes moi mon n ne ni nos notre nous on ont ou par parce pas peu peut plus pour pourquoi
qu quand que quel quelle quelles quels qui quoi s sa sans se sera serait ses si sien son sont sous suis sur t ta
te tes toi ton tous tout toute toutes tres tu un une unes uns vers via voici voila vos votre vous y
sera seront etes sommes ici la-bas lors apres depuis selon contre pendant aussi deja puis ainsi tant
trois quatre cinq six sept huit neuf dix premier premiere dernier derniere nouveau nouvelle nouvel nouveaux
nouvelles autre autres`;

function wordSet(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter(Boolean));
}

export const STOPWORDS: Readonly<Record<'en' | 'fr', ReadonlySet<string>>> = {
  en: wordSet(ENGLISH),
  fr: wordSet(FRENCH),
};

/** Whether a folded word is a function word of the language (English for any language without a list). */
export function isStopword(word: string, lang: string): boolean {
  return (lang === 'fr' ? STOPWORDS.fr : STOPWORDS.en).has(word);
}
