package lexicon

// cueFlags say what a non-emotion word or phrase does to the emotion words around it.
type cueFlags uint32

const (
	fNeg        cueFlags = 1 << iota // negates the next emotion word within negWindow units: "not angry"
	fPostNeg                         // negates the emotion word just before it: "his smile disappears"
	fPostNegAux                      // the same, but only after a verb: "anger is not present"
	fAux                             // a verb that may stand between an emotion word and fPostNegAux
	fBlocker                         // cancels a pending negation: "can't hide her anger"
	fConnector                       // joins two emotion words: "anger or dissatisfaction"
	fAnd                             // "and": ends a pending negation that has not found its word yet
	fGap                             // a determiner, allowed between joined emotion words
	fPrep                            // with/in/of/from: "shouting with excitement"
	fBreaker                         // ends a pending negation and pending modifiers
	fLocal                           // multiplies the next emotion word (intensifier, downtoner, "forced")
	fHedge                           // multiplies the rest of the clause: "seems", "may"
	fContrast                        // "but", "however": what follows weighs more, what precedes less
	fConcessive                      // "although", "despite": the clause it opens weighs less
	fWhile                           // "while": concessive at the start of a sentence, else a breaker
	fRather                          // "rather": a contrast before a comma or at the start, else a downtoner
	fConclusion                      // marks the sentence as a concluding inference (weight in tier)
	fOther                           // another person's emotion follows: "the other person looks scared"
	fEarly                           // the emotion passed: "at first", "initially"
	fLate                            // the emotion the scene ends in: "eventually", "turns into"
	fGeneric                         // "emotion", "expression": negated, it is evidence for neutral
	fUndecided                       // "cannot be determined": the clause names no emotion, and may end the explanation undecided
	fOthers                          // the sentence is about someone else's emotion: "that belongs to them"
	fDominant                        // the sentence says which emotion dominates: "mainly", "the main emotion"
)

// cueRow lists terms (see termRow for the syntax) with the same flags; mult is the multiplier of
// fLocal, fHedge, fOther, fEarly and fLate cues, tier the sentence weight of fConclusion cues.
type cueRow struct {
	flags cueFlags
	mult  float64
	tier  uint8
	terms string
}

var cueRows = []cueRow{
	// negation
	{fNeg | fPostNegAux, 0, 0, "not, never, no longer"},
	{fNeg, 0, 0, "no, without, without any, nothing, none, nobody, neither, nor, lack, lacks, lacked, " +
		"free of, devoid of, void of, absence of, rather than, instead of, than, far from, fail* to, unable, " +
		"no trace of, no sign of, no signs of, no hint of, no indication of, no evidence of, little sign of, " +
		"little evidence of, little trace of, not any, not a trace of, not a hint of, not a sign of"},
	{fNeg | fPostNeg, 0, 0, "lacking"},
	{fPostNeg, 0, 0, "absent, missing, gone, disappear*, vanish*, fade, fades, faded, fading, nowhere, " +
		"subside, subsides, subsided"},
	{fAux, 0, 0, "is, was, are, were, be, been, being, does, do, did, has, have, had, remains, remain, " +
		"remained, stays, stay, entirely, actually"},
	{fBlocker, 0, 0, "hide, hides, hid, hiding, hidden, conceal*, help, stop, stops, stopped, stopping, contain, " +
		"suppress*, mask, masks, masking, disguise*, resist*, hold back, holding back, hold in, holding in"},
	// Words that would act as cues but do not here.
	{0, 0, 0, "not only, not just, not merely, not simply, no doubt, no wonder, without doubt, " +
		"without a doubt, nothing but, trying not to, tries not to, try not to, tried not to, " +
		"struggling not to, struggles not to, struggled not to, fighting back, fights back, fought back, " +
		"holds back, no matter, as if, arguably, concerning, sweater, fearless, fearlessly, sobering, " +
		"surprisingly, unsurprisingly, not surprisingly, tearing apart, terrific"},

	// joining emotion words
	{fConnector | fAnd, 0, 0, "and"},
	{fConnector, 0, 0, "or, as well as, along with, mixed with, tinged with, combined with, together with, " +
		"plus, but also, and also, or even, or perhaps, or possibly, if not, blended with, " +
		"accompanied by, coupled with"},
	{fConnector | fPrep, 0, 0, "with"},
	{fPrep | fGap, 0, 0, "of, in"},
	{fPrep | fLocal, 0.7, 0, "from"},
	{fGap, 0, 0, "a, an, the, some, any, his, her, their, its, my, your, our, both, either, this, that, " +
		"these, those, also, even, sense of, a sense of, feeling of, a feeling of, mixture of, a mixture of, " +
		"mix of, a mix of, blend of, combination of"},
	{fBreaker, 0, 0, "then, because, since, which, who, when, whenever, until, so that, after, before"},

	// intensity
	{fLocal, 1.4, 0, "very, extremely, deeply, highly, truly, utterly, completely, absolutely, totally, " +
		"incredibly, intensely, strongly, particularly, especially, profoundly, terribly, awfully, exceedingly, " +
		"immensely, visibly, clearly, obviously, evidently, unmistakably, genuinely, pure, sheer, intense, " +
		"strong, deep, deeper, great, extreme, overwhelming, overwhelmingly, full of, filled with, " +
		"overcome with, overcome by, overwhelmed with, overwhelmed by, a lot of, lots of, so much, " +
		"heavily, obvious, clear, evident, palpable, marked, markedly, considerable, considerably, " +
		"significant, significantly, uncontrollably, uncontrollable, bursting with, real, " +
		"genuine, most"},
	{fLocal | fDominant, 1.4, 0, "mainly, mostly, primarily, predominantly, largely, chiefly, above all, strongest"},
	{fDominant, 0, 0, "dominat*, predominant, main emotion, main feeling, main mood, prevails, outweigh*"},
	{fLocal, 1.2, 0, "really, so, such, quite, more, noticeable, noticeably, visible"},
	{fLocal, 0.5, 0, "slightly, slight, mildly, mild, a bit, a bit of, a little, a little bit, a hint of, " +
		"a touch of, a trace of, a tinge of, hint of, touch of, trace of, traces of, tinge of, hints of, " +
		"faint, faintly, subtle, subtly, partly, partially, marginally, brief, briefly, momentary, " +
		"momentarily, fleeting, a flash of, flash of, a moment of, moment of, a brief moment of, " +
		"a degree of, some degree of, to some extent, a certain degree of, minor, little bit"},
	{fLocal, 0.6, 0, "kind of, sort of, somewhat, fairly, relatively, moderately"},
	{fLocal, 0.3, 0, "hardly, barely, scarcely"},
	{fLocal, 0.2, 0, "forced, fake, faked, feigned, feign*, pretend*, false, artificial, put on, puts on, " +
		"polite smile, superficial"},

	// hedges
	{fHedge, 0.8, 0, "may, might, could, perhaps, maybe, possibly, possible, probably, presumably, likely, " +
		"seemingly, apparently, potentially"},
	{fHedge | fAux, 0.8, 0, "seems, seem, seemed, appears, appear, appeared"},
	{fHedge, 0.7, 0, "not sure, i guess, i think"},

	// undecided: the explanation says an emotion cannot be determined. The words of the clause
	// (and of the rest of the sentence, up to a contrast) count for nothing; an explanation whose
	// last word on the matter is one of these abstains. The weak ones ("unclear", "hard to tell")
	// decide only in a sentence about the emotion; the strong ones (with fGeneric) always do.
	{fUndecided | fHedge, 0.7, 0, "unclear, not clear, ambiguous, ambiguity, hard to tell, difficult to tell, " +
		"hard to say, difficult to say, not obvious, contradictory, conflicting, inconclusive, no idea"},
	{fUndecided | fGeneric, 0, 0, "can not _ determin*, could not _ determin*, can not _ judg*, could not _ judg*, " +
		"can not _ infer*, could not _ infer*, can not tell, can not _ tell, could not tell, can not say, " +
		"could not say, can not _ decid*, can not _ identif*, unable to _ determin*, unable to _ judg*, " +
		"unable to tell, unable to say, unable to infer, impossible to _ determin*, impossible to _ judg*, " +
		"impossible to tell, impossible to say, impossible to know, impossible to infer, " +
		"not possible to _ determin*, not possible to tell, not possible to say, not possible to _ judg*, " +
		"difficult to _ determin*, hard to _ determin*, difficult to _ judg*, hard to _ judg*, " +
		"difficult to infer, hard to infer, difficult to _ identif*, hard to _ identif*, " +
		"not assessable, not _ assessable, insufficient, not enough information, " +
		"not enough to _ judg*, not enough to _ determin*, not enough to say, not enough to tell, " +
		"not enough to infer, too weak, too short to, too ambiguous, " +
		"not point to one, not point to a single, not point clearly, not point to the same, " +
		"point* in _ directions, point* in different directions, point* to different, point* in several, " +
		"no way to choose, no way to tell, could be either, emotion could be either, either way, which is dominant, " +
		"tell* _ apart, no information, nothing to go on, do not agree, does not agree, disagree, " +
		"contradict each other, contradict one another, inconsistent with each other, different signals, " +
		"signals differ, " +
		"which one is, which of, which emotion, tell which, say which, " +
		"clues are mixed, cues are mixed, signals are mixed, mixed signals, mixed clues, mixed cues, " +
		"can not be reliably, can not reliably, undetermined, indeterminate, not determinable, " +
		"no emotional cues, no emotional clues, no cues, no clues"},

	// someone else's emotion: the whole sentence weighs othersW ("that is their emotion")
	{fOthers, 0, 0, "belong* to, not the target, not the main character, not the focus"},

	// contrast
	{fContrast, 0, 0, "but, however, yet, nevertheless, nonetheless, instead, on the other hand, in contrast, " +
		"by contrast, whereas, conversely, in fact"},
	{fConcessive, 0, 0, "although, though, even though, despite, in spite of, even if, albeit, whilst"},
	{fWhile, 0, 0, "while"},
	{fRather, 0, 0, "rather"},

	// concluding inference
	{fConclusion, 0, 3, "therefore, thus, hence, overall, consequently, in conclusion, to conclude, " +
		"in summary, to summarize, to summarise, summarizing, to sum up, in sum, in short, all in all, " +
		"altogether, taken together, all things considered, all considered, we can infer, can be inferred, " +
		"infer, inferred, inferring, conclude, concluded, we can conclude, can be concluded, conclusion, " +
		"based on, judging from, judging by, combining, putting it together, putting together, " +
		"emotion is, emotion was, emotion here is, emotional state is, emotion could be, emotion might be, " +
		"emotion may be, emotion must be, emotion should be, emotion can be, emotion to be, emotion seems, " +
		"emotion conveyed, emotion expressed, emotion displayed, emotion shown, emotion of the, " +
		"emotions are, final answer, answer is, predicted emotion, emotional state of, emotion would be"},
	{fConclusion, 0, 2, "suggests, suggest, suggesting, suggested, indicates, indicate, indicating, indicated, " +
		"implies, imply, implying, implied, reveals, reveal, revealing, revealed, reflects, reflect, reflecting, " +
		"conveys, convey, conveying, expresses, express, expressing, demonstrates, demonstrating, signals, " +
		"signaling, signalling, points to, pointing to, shows that, showing that, which shows, this shows, " +
		"means that, meaning that, consistent with, it is clear, evident that, clear that, obvious that, " +
		"most likely, it seems that, it appears that, emotional state, emotional tone"},
	{fConclusion | fGeneric, 0, 2, "emotion, emotions, sentiment"},
	{fGeneric, 0, 0, "mood, feeling, feelings, emotional, emotionally, expression, expressions, reaction, reactions, affect, " +
		"fluctuation*, emotional fluctuation*, emotional change*, emotional cues, emotional expression, " +
		"facial expression, change in expression, emotional reaction, emotional response"},

	// whose emotion, and when
	{fOther, 0.5, 0, "other person, other people, other man, other woman, other character, other characters, " +
		"another person, another man, another woman, another character, someone else, the listener, " +
		"the audience, onlookers, bystanders, those around, people around"},
	{fEarly, 0.7, 0, "at first, initially, in the beginning, at the beginning, at the start, earlier, " +
		"starts off, started off, first"},
	{fLate, 1.3, 0, "later, eventually, finally, in the end, gradually, ultimately, turns into, turned into, " +
		"turning into, turn into, becomes, become, became, becoming, changes to, changed to, changing to, " +
		"shifts to, shifted to, shifting to, gives way to, gave way to, soon"},
}
