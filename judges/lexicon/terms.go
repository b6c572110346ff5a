package lexicon

// termRow gives concept weights ("ang .7 dsp .3"; codes in conceptCodes) and the terms that carry
// them, separated by commas. A term is one or more space-separated token patterns: a word
// ("angry"), a prefix ending in "*" ("frustrat*" matches frustrated, frustration, …), or "_",
// which skips up to two words ("raise* _ voice" matches "raised voice" and "raised his voice").
// Tokens are lower case; hyphens and "n't" split words ("wide-eyed" is "wide eyed", "can't" is
// "can not"). A word listed exactly wins over a prefix, and a longer phrase over a shorter one.
//
// The weights' sum is the term's strength: 1 for a word that names the emotion, less for a cue
// (a frown, a loud voice) that only points to it or is shared between emotions.
type termRow struct {
	weights string
	terms   string
}

// flagQualifiable marks behaviour words (smiling, crying, shouting …) whose emotion a neighbouring
// emotion word overrides: "nervous laugh", "tears of joy", "trembling with rage".
const flagQualifiable = "!q"

var emotionTerms = []termRow{
	// happiness
	{"hap 1", "happy, happier, happiest, happily, happiness, joy, joyful, joyfully, joyous, joyously, " +
		"delight, delighted, delightful, delightedly, cheerful, cheerfully, cheerfulness, cheery, glad, gladly, " +
		"gladness, elated, elation, ecstatic, euphoria, euphoric, jubilant, jubilation, overjoyed, gleeful, " +
		"gleefully, glee, jovial, merry, merrily, blissful, bliss, thrilled, tears of joy, happy tears, " +
		"cry* of joy, crying with joy, positive emotion*, positive mood, good mood, high spirits, in good spirits"},
	{"hap .9 " + flagQualifiable, "laugh*, smile, smiles, smiled, smiling, smiley, grin, grins, grinned, grinning, " +
		"beaming, chuckl*, giggl*, haha*, hehe*, lol"},
	{"hap .9", "amused, amusement, amusing, amusedly, pleased, pleasure, satisfied, satisfaction, contented, " +
		"contentment, cheer, cheers, cheering, cheered, lights up, lit up, light* up, face brighten*, " +
		"light hearted, lighthearted, upbeat, enjoy*, enthusias*"},
	{"hap .8 sur .2", "excited, excitement, exciting, excitedly, thrilling"},
	{"hap .7", "lively, playful*, radiant, grateful, gratitude, thankful, proud, proudly, celebrat*, " +
		"congratulat*, funny, fun, jok*, humor*, humour*, giddy, bubbly, hooray, yay, love, loves, loved, " +
		"loving, lovingly, affection*, eyes crinkl*, sparkl*, brighten*, positive, warmly"},
	{"hap .5", "hug, hugs, hugged, hugging, kiss*, lovely, wonderful, fantastic, awesome, excellent, " +
		"friendly, thumbs up, high five, happy birthday, bright voice, warm tone, warm smile, warm voice, " +
		"thank*, corners of _ mouth turned up, mouth turned up, upturned"},
	{"hap .5 sur .3", "amazing"},
	{"hap .6 neu .4", "relieved, relief, pleasant, pleasantly, at ease, comfortable"},
	{"hap .4 con .3", "teas*, cheeky"},
	// Physical cues and the words of translated and open-vocabulary explanations.
	{"hap .7", "cheeks _ rais*, cheeks _ lift*, raised cheeks, cheek rais*, corners of _ mouth _ rais*, " +
		"corners of _ mouth _ lift*, mouth corners _ rais*, mouth corners _ lift*, mouth corners _ up, " +
		"corners of _ mouth _ up, eyes _ narrow* into, eyes _ curv*, curved like, crescent*, carefree"},
	{"hap .6", "crinkl*, pride, whoop*, in a good mood, full of warmth, beam* with"},
	{"hap .5 sad .2", "deeply moved, being moved, feel* moved, very moved, so moved"},
	{"hap .8", "tears of being moved, tears of laughter, tears from laughing"},
	{"hap .4", "warmth, sweet, clap, claps, clapped, clapping"},
	{"hap .5 sur .2", "squeal*"},

	// sadness
	{"sad 1", "sad, sadly, sadder, saddest, saddened, sadness, sorrow*, grief, griev*, mourn*, heartbroken, " +
		"heartbreak*, heart broken, broken hearted, brokenhearted, melanchol*, despondent*, miserable, misery, " +
		"unhappy, unhappiness, gloom*, glum*, forlorn, woeful, woe, desolat*, bereaved, lament*, " +
		"heavy hearted, heavy heart, burst* into tears, broke* into tears, break* down in tears, " +
		"break* down crying, broke* down, eyes _ well* up, eyes _ welling, welling up, well* up, " +
		"choked up, choking up, sad smile, dismal, tragic, tragedy, lonely, loneliness"},
	{"sad .9 " + flagQualifiable, "cry, cries, cried, crying, tear, tears, tearful, tearfully, teary, " +
		"tearing up, teared up, weep*, wept, sob, sobs, sobbed, sobbing, wail*"},
	{"sad .8 hel .2", "depressed, depression, depressing, anguish*"},
	{"sad .8", "red eyes, eyes _ red, eyes _ moist, moist eyes, voice crack*, voice _ crack*, choked voice, " +
		"voice _ choke*, lump in _ throat, sniffl*, heavy tone, heavy voice, voice _ heavy, broken voice, " +
		"voice _ broken, remorse*"},
	{"sad .6 fea .2", "trembling lips, lips _ trembl*, quivering lips, lips _ quiver*, chin _ quiver*"},
	{"sad .7 neu .2", "somber, sombre"},
	{"sad .6 ang .2", "hurt, hurts, hurting, hurtful"},
	{"sad .6", "pain, painful, painfully, pained, feeling down, feeling low, low spirits, low spirited, " +
		"bleak, nostalgi*, suffer*"},
	{"sad .5 ang .3 dsp .2", "upset, upsetting"},
	{"sad .5 dsp .2", "head _ bowed, bowed head, bow* _ head, lower* _ head, head down, hang* _ head, " +
		"hanging head, downturned, turned down, droop*, corners of _ mouth _ down"},
	{"sad .5 dsp .4", "regret*"},
	{"sad .5 anx .3", "guilt*"},
	{"sad .5 anx .3 dsp .2", "ashamed, shame, shamed, shameful, humiliated"},
	{"sad .5 fea .4", "whimper*"},
	{"sad .4", "funeral, death, died, passed away, loss, sorry, apolog*"},
	{"sad .3 neu .2", "low voice, voice _ low"},
	{"neu .3 sad .2", "quiet voice, voice _ quiet"},
	{"sad .4 dsp .2", "lowered eyes, eyes _ lowered, downcast eyes, eyes _ downcast"},
	{"sad .6", "choked, choking"},
	{"sad .3 hel .3 neu .2", "tired, exhausted, weary, wearily, fatigue*"},
	{"sad .3 hel .3", "weak voice, voice _ weak"},
	{"sad .5 anx .3 hel .2", "distraught"},
	{"sad .4 anx .4 fea .2", "distress*"},
	{"sad .8", "eye sockets _ red, red eye sockets, eye sockets _ swollen, homesick*, heartache, " +
		"emotionally low, low mood, mood _ low, emotion _ low, spirits _ low, heart _ heavy"},
	{"sad .7", "eye sockets _ moist, eye sockets _ wet, voice _ break*, breaking voice, broke* voice, " +
		"reluctant to part, reluctant to leave"},
	{"sad .7 ang .2", "aggrieved"},
	{"sad .6 ang .3", "wronged, grievance*"},
	{"sad .6 hel .2", "inner eyebrows _ rais*, inner brows _ rais*, raised inner eyebrows, raised inner brows, " +
		"inner ends of _ eyebrows, inner corners of _ eyebrows, eyebrows _ raised at the inner, " +
		"brows _ raised at the inner, brows _ up in the middle, eyebrows _ slant*"},
	{"sad .6 anx .2", "voice _ falter*, faltering voice"},
	{"sad .6", "chin _ trembl*, self pity"},
	{"sad .5 anx .2", "self reproach, self blame, blam* _ herself, blam* _ himself, blam* _ myself"},

	// neutral
	{"neu 1", "neutral, neutrally, neutrality, calm, calmly, calmness, calmed, calm down, composed, composure, " +
		"expressionless, emotionless, unemotional, impassive*, stoic*, placid*, deadpan, poker face, " +
		"straight face, blank expression, blank face, blank stare, blank look, flat tone, flat voice, flat affect, " +
		"flat expression, tone _ flat, voice _ flat, monoton*, matter of fact, matter of factly, even tone, " +
		"tone _ even, voice _ even, even voice, steady voice, steady tone, voice _ steady, tone _ steady, " +
		"emotionally stable, emotionally neutral, unmoved, unfazed, unbothered, undisturbed, untroubled, " +
		"unperturbed, unruffled, calm and collected, little emotion, little expression, no emotion*"},
	{"neu .8 con .2", "nonchalan*"},
	{"neu .7 hap .3", "seren*, tranquil*, peaceful*"},
	{"neu .6 hap .4", "relaxed, relaxing, relaxation, relax"},
	{"neu .6 con .3", "indifferen*, detached"},
	{"neu .6 con .2 hel .2", "apathy, apathetic"},
	{"neu .6 hap .2", "casual*, conversational"},
	{"neu .6", "steady, steadily, stable, focused, focusing, concentrat*, attentiv*, reserved, unconcerned, " +
		"objective, objectively, professional*, informative"},
	{"neu .5 sad .3", "thoughtful*, pensiv*, contemplat*"},
	{"neu .5 ang .2", "serious, seriously, seriousness"},
	{"neu .5 hap .2", "polite, politely, gentle, gently"},
	{"neu .5", "normal, normally, ordinary, moderate, formal, sober, plain tone, stating, explaining"},
	{"neu .5 con .2 dsp .2", "bored, boredom, boring"},
	{"neu .3 sad .1", "quiet, quietly, softly"},
	{"neu .3 hap .3", "chatting"},
	{"neu .6", "still face, face _ still, eyebrows _ level, brows _ level, does not change, did not change"},
	{"neu .5", "routine, routinely, everyday, procedural, factual, informational, instructional, explanatory"},
	{"neu .4", "unhurried, natural, naturally, plain"},
	{"neu .4 con .2 dsp .1", "disinterest*, uninterested"},

	// anger
	{"ang 1", "anger, angers, angered, angering, angry, angrily, angrier, angriest, enraged, furious*, fury, " +
		"rage, raged, rages, raging, irate, livid, fuming, seething, outrag*, wrath*, incensed, infuriat*, " +
		"indignant*, indignation, hostile, hostility, mad, tantrum*, how dare"},
	{"ang .9", "irritat*, annoy*, aggress*, scold*, berat*, snarl*, growl*"},
	{"ang .8 fea .1 " + flagQualifiable, "yell, yells, yelled, yelling, shout*"},
	{"ang .8", "glar*, scowl*, raise* _ voice, voice _ raised, raised voice, clench* _ fist*, fist* _ clench*, " +
		"clench* _ jaw, jaw _ clench*, clench* _ teeth, grit* _ teeth, gritted teeth, wav* _ fist*, " +
		"bang* _ fist*, bang* _ table, pound* _ table, flared nostrils, nostrils _ flar*, rant*, quarrel*, " +
		"reprimand*, rebuk*, fierce*, vehement*, red with anger"},
	{"ang .7 con .1", "threatening, threateningly, menacing*, confrontational"},
	{"ang .6", "slam*, snap*, stomp*, storm* off, storm* out, heated, temper, threaten, threatens, harsh tone, " +
		"sharp tone, tone _ sharp, voice _ sharp, sharp voice, curse, cursed, cursing, swearing, accus*, " +
		"loud and aggressive, stern*"},
	{"ang .6 dsp .3 hel .1", "frustrat*"},
	{"ang .6 dsp .2 dis .1", "displeas*"},
	{"ang .5 dsp .5", "dissatisf*"},
	{"ang .6 dsp .2 con .2", "resent*"},
	{"ang .6 dis .3 con .1", "hate, hated, hates, hating, hatred"},
	{"ang .5 sad .3 con .2", "jealous*, envy, envious"},
	{"ang .4 sad .3 dsp .3", "bitter, bitterly, bitterness"},
	{"ang .5 anx .4", "impatien*"},
	{"ang .4 anx .4", "agitat*"},
	{"ang .5 con .2", "harsh, harshly, narrow* _ eyes, eyes _ narrow*, lowered brows, brows _ lowered, " +
		"eyebrows _ pulled down, brows _ pulled down"},
	{"ang .5", "argu*, fight*, fought, blam*, tight jaw, jaw _ tight, tense jaw, forceful*, red face, face _ red, " +
		"flushed, point* _ finger, hiss*"},
	{"ang .4 anx .2 sad .1", "furrow* _ brow*, brow* _ furrow*, knit* _ brow*, knitted brows, brows _ knitted"},
	{"ang .35 sad .25 dis .1 anx .1", "frown*"},
	{"ang .4 sad .1 hap .1 sur .1", "loud, loudly"},
	{"ang .3 dis .1 con .1 dsp .1", "tight lips, lips _ tight*, pressed lips, lips _ pressed, purs* _ lips"},
	{"ang .3 con .3 neu .1", "cold, coldly, coldness, icy, cutting"},
	{"ang .4 dis .3", "ugh"},
	{"ang .8", "gnash* _ teeth, teeth _ gnash*, roar*, grab* _ collar"},
	{"ang .9", "irritab*"},
	{"ang .7 dsp .2", "exasperat*"},
	{"ang .6 dsp .3", "fed up"},
	{"ang .5 dsp .3", "reproach*"},
	{"ang .6", "iron blue, bellow*"},
	{"ang .5", "stamp* _ foot, stamp* _ feet, veins"},
	{"ang .4", "questioning tone, tone of questioning, sense of questioning, vent*"},
	{"ang .4 sad .3 dsp .2", "sullen*"},

	// surprise
	{"sur 1", "surprise, surprised, surprising, astonish*, astound*, stunned, stun, dumbfounded, flabbergasted, " +
		"disbelief, incredul*, can not believe, could not believe, in awe, taken aback, " +
		"caught off guard, jaw _ drop*, jaw _ dropped, jaw _ fell"},
	{"sur .8 hap .2", "amazed, amazement, astonishingly"},
	{"sur .7 fea .3", "shock, shocked, shocking, shockingly"},
	{"sur .6 fea .4", "startl*"},
	{"sur .6 fea .3 " + flagQualifiable, "gasp*"},
	{"fea .6 sur .2", "raised eyebrows drawn together, eyebrows _ raised and drawn together"},
	{"ang .3 anx .3 fea .2", "drawn together"},
	{"sur .6 hap .2", "exclaim*, wow, speechless, awe"},
	{"sur .6", "unexpected*, unbelievable, did not expect, not expect*, never expected, bewilder*, " +
		"perplex*, raise* _ eyebrows, raised eyebrows, eyebrows _ raised, eyebrows _ shoot up, eyebrows up, " +
		"eyebrows _ lift*, brows _ raised, raise* _ brows, mouth _ open, open mouth, mouth falls open, " +
		"mouth _ agape, agape, gaping, oh my god, oh my gosh, oh my, head jerks back"},
	{"sur .5 fea .3", "eyes _ widen*, widen* _ eyes, wide eyes, eyes _ wide, wide eyed, widened eyes, " +
		"eyes go wide, wide open eyes, eyes _ wide open"},
	{"sur .5 fea .1", "sudden, suddenly"},
	{"sur .4 anx .2 neu .1", "confus*, puzzl*"},
	{"sur .4", "exclamation, high pitch, pitch rises, rising tone"},
	{"sur .7", "double take, whoa"},
	{"sur .6", "o shape*, into an o, eyebrows go up, brows _ shoot up, eyebrows shot up"},
	{"sur .3 fea .3", "freez*, froze, frozen"},

	// disgust
	{"dis 1", "disgust, disgusted, disgusting, disgustedly, revulsion, repuls*, revolt*, nause*, gross, grossed, " +
		"sickened, sick to _ stomach, abhor*, repugnan*, distaste, distasteful, aversion, eww, ew, yuck"},
	{"dis .8", "loath*, vomit*, retch*, gag, gags, gagged, gagging, wrinkl* _ nose, nose _ wrinkl*, " +
		"scrunch* _ nose, wrinkled nose, cover* _ nose, pinch* _ nose, holds _ nose, makes a face, " +
		"made a face, making a face"},
	{"dis .6 fea .1 sad .1", "grimac*"},
	{"dis .6 con .3", "curl* _ lip*, lip _ curl*, upper lip _ raised, raised upper lip, rais* _ upper lip, " +
		"lip* curled"},
	{"dis .6 sur .2 ang .2", "appalled"},
	{"dis .5 ang .2", "nasty, vile, spit, spits, spitting, spat, spit* out"},
	{"dis .5 fea .4", "recoil*"},
	{"dis .5", "stink*, smell* awful, awful smell, smells bad, rotten, filthy, dirty, stick* out _ tongue"},
	{"dis .4 con .3 ang .2", "dislik*"},
	{"dis .3 ang .2 sad .1", "unpleasant"},
	{"dis .3 sad .2", "awful"},
	{"dis .3 con .1", "turn* _ away, push* _ away, pull* _ head back, lean* back"},
	{"fea .6 dis .3 sur .1", "horrified, horrifying, horrible"},
	{"sad .2 dis .2 fea .1 ang .1", "terrible, terribly bad"},
	{"dis .8", "repel*, blegh, bleh"},
	{"dis .7", "averse, feel* sick, feels _ sick, crinkl* _ nose"},
	{"dis .4", "unclean"},

	// fear
	{"fea 1", "fear, fears, feared, fearful, fearfully, afraid, scared, scary, frighten*, fright, terrified, " +
		"terrify, terrifying, terror, horror, petrified, spooked, cry* for help, scream* for help, " +
		"call* for help, in terror, in fear"},
	{"fea .8 anx .2", "panic*"},
	{"fea .7 anx .3", "dread*"},
	{"fea .6 anx .2 sur .2", "alarmed"},
	{"fea .8", "cower*"},
	{"fea .6 anx .2 sad .2", "trembling voice, voice _ trembl*, shaky voice, voice _ shak*, trembl* voice"},
	{"fea .5 anx .2 sad .2 " + flagQualifiable, "trembl*"},
	{"fea .4 anx .2 ang .1 " + flagQualifiable, "shaking, shakes, shook, shaken, shake"},
	{"fea .5 anx .3", "shaky, shiver*, quiver*"},
	{"fea .5 ang .3 sur .2 " + flagQualifiable, "scream*, shriek*"},
	{"fea .6", "back* away, backing away, back* against, run* away, ran away, flee*, fled, threatened, " +
		"intimidated, hid* behind, hiding from, protect* _ face"},
	{"fea .5 sur .2", "flinch*, pale, paled, turns pale, goes pale"},
	{"fea .4 dis .3", "cringe, cringes, cringing"},
	{"fea .4 anx .4", "timid*"},
	{"fea .4 anx .3", "danger*, threat"},
	{"fea .3 anx .3", "rapid breathing, breath* rapidly, breathing heavily, clutch* _ chest"},
	{"fea .5", "face _ white, turns white, goes white, turned white, dare* not"},
	{"fea .4 anx .4", "cold sweat"},
	{"fea .4", "hid* in the, hides in, hiding in"},
	{"fea .3 anx .2 ang .2", "knuckles _ white"},

	// contempt
	{"con 1", "contempt, contemptuous, contemptuously, disdain*, scorn*, sneer*, derision, derisive*, " +
		"condescend*, patroniz*, patronis*, look* down on, look* down upon, snide, scoff*"},
	{"con .8 hap .2 " + flagQualifiable, "smirk*"},
	{"con .8 ang .1 hap .1", "mock*"},
	{"con .8", "ridicul*, belittl*, disparag*, jeer*, haughty, haughtily, roll* _ eyes, eye roll*, eyes roll, " +
		"eyeroll*"},
	{"con .7 ang .2", "sarcas*, taunt*"},
	{"con .7 hap .2", "smug, smugly, smugness"},
	{"con .7 ang .1", "arrogan*"},
	{"con .6 ang .3", "disrespect*, humiliate, humiliating"},
	{"con .6 neu .1", "dismiss*, superior*, superiority"},
	{"con .5 dis .2 ang .2", "disapprov*"},
	{"con .5 hap .2", "raised chin, chin _ raised, lift* _ chin, one corner of _ mouth, half smile, " +
		"lopsided smile, crooked smile, look* _ up and down"},
	{"con .6 dis .2", "pathetic, cynical*, snort*, tsk, pfft, hmph"},
	{"con .4 ang .4", "ridiculous, insult*, idiot*, stupid, provok*"},
	{"con .4", "beneath, worthless"},
	{"con .6 ang .2", "cold laugh, laugh* coldly, cold smile, smil* coldly"},
	{"con .6", "corner of _ mouth _ curl*, mouth _ curl* up, curled mouth, curl* _ mouth, clap* slowly, slow clap*"},
	{"con .5 hap .1", "one side of _ mouth, one sided"},
	{"con .4 hap .2", "corner of _ mouth _ rais*, corner of _ mouth _ lift*"},
	{"con .4", "dry laugh"},

	// anxiety
	{"anx 1", "anxiety, anxious, anxiously, nervous, nervously, nervousness, worried, worry, worries, worrying, " +
		"worriedly, uneasy, unease, uneasiness, on edge, fret*, jitter*, restless*, fidget*, stress*, " +
		"edgy, nervy"},
	{"anx .7 fea .3", "apprehensi*"},
	{"anx .5 ang .3 fea .2", "tense, tensed, tensely, tension"},
	{"anx .6 sad .2", "concern*, troubled"},
	{"anx .6 fea .3", "frantic*"},
	{"anx .7 sad .2", "insecur*"},
	{"anx .5 fea .4", "stammer*, stutter*"},
	{"anx .6", "pacing, paces back, paced back, bit* _ lip*, bites her lip, chew* _ lip*, bit* _ nails, " +
		"nail biting, wring* _ hands, tap* _ foot, tapping _ foot, tap* _ fingers, drum* _ fingers, " +
		"avoid* _ eye contact, avoid* eye contact, perturbed"},
	{"anx .5 fea .3", "sweat*, dart*"},
	{"anx .5 fea .2 ang .1", "urgen*"},
	{"anx .5 sad .2", "embarrass*, awkward*"},
	{"anx .5", "hesitat*, hesitant*, uncertain, unsure, rub* _ hands, hands _ rub*, hurried*, hurry*, rush*, " +
		"what if"},
	{"anx .4 hap .2", "shy, shyly, shyness"},
	{"anx .4 dis .2 fea .2", "disturbed"},
	{"anx .3 ang .3", "bothered"},
	{"anx .4 dis .3", "uncomfortable, discomfort"},
	{"hel .4 anx .4 sad .2", "overwhelm*"},
	{"anx 1", "ants on a hot, like ants on"},
	{"anx .7", "unsettled"},
	{"anx .6 sur .2", "fluster*"},
	{"anx .5 sad .2", "blink* rapidly, rapid* blink*, blink* _ rapidly, blinking rapidly, frequent* blink*, " +
		"blink* frequently, lack* _ confidence, not confident, self conscious"},
	{"anx .5", "check* _ watch, look* at _ watch, glanc* at _ watch, check* _ clock, look* at _ clock, " +
		"bounc* _ knee, knee _ bounc*, leg _ jiggl*, jiggl*, rub* _ palms, wipe* _ palms, palms _ sweat*, " +
		"back and forth"},
	{"anx .4 fea .3", "swallow* hard, keeps swallowing"},
	{"anx .4", "clear* _ throat"},
	{"anx .3", "check* _ phone"},

	// helplessness
	{"hel 1", "helpless, helplessly, helplessness, powerless, powerlessness, resigned, resignation, at a loss, " +
		"nothing can be done, nothing could be done, nothing to be done, nothing _ can do, nothing _ could do, " +
		"not know what to do, no idea what to do, did not know what to do, no way out, out of options, " +
		"can not do anything, could not do anything, unable to do anything, futil*, in vain, " +
		"throw* up _ hands, spread* _ hands, spread* _ arms, tried everything"},
	{"hel .7 dsp .2", "give* up, gave up, giving up"},
	{"hel .6 sad .4", "hopeless*, no hope"},
	{"hel .5 sad .5", "despair*"},
	{"hel .5 anx .3 fea .2", "desperat*"},
	{"hel .6 dsp .2 sad .2", "defeat*"},
	{"hel .6 fea .3", "trapped"},
	{"hel .6", "no choice, no other choice, what can i do, what else can i do, accept* _ fate, " +
		"can only, could only, oh well, nothing work*"},
	{"hel .5 sad .3 fea .2", "plead*, beg, begs, begged, begging, implor*"},
	{"hel .5 neu .2 con .1", "shrug*"},
	{"hel .5 dsp .2", "let* _ arms fall, arms _ fall, arms _ drop*, arms _ dropped"},
	{"hel .4 sad .4", "head in _ hands"},
	{"hel .4 con .3", "wry, wryly"},
	{"hel .4", "stuck"},
	{"hel 1", "can do nothing, could do nothing, nowhere to turn, has no way, have no way, had no way, " +
		"no way at all, no other way, what can we do"},
	{"hel .6 anx .2", "what _ supposed to do, no idea how"},
	{"hel .6", "beyond _ control, palms _ up, palms upward"},
	{"hel .5", "hands _ fall, hands _ drop*, arms _ hang*, run* out of, ran out of"},
	{"hel .4 sad .3", "worn out, drained"},

	// disappointment
	{"dsp 1", "disappoint*, let _ down, lets _ down, letting _ down, letdown, disillusion*, deflated, " +
		"expected more, hoped for more, not what _ expected, not what _ hoped, not as expected, " +
		"fell short, falls short, unmet"},
	{"dsp .6 sad .4", "dejected, dejectedly, dejection, dishearten*, crestfallen, downcast, face fell, " +
		"face fall*, face _ fell, face _ falls, face drops, face _ sink*, expression _ sink*, heart sank, " +
		"heart sinks"},
	{"dsp .6 sad .3", "discourag*"},
	{"dsp .6 ang .2", "unsatisf*, unfulfill*"},
	{"dsp .5 sad .3 ang .2", "sulk*, pout*"},
	{"dsp .5 ang .4", "discontent*"},
	{"dsp .4 ang .4", "grumbl*, complain*"},
	{"dsp .4 hel .3 sad .3", "sigh, sighs, sighed, sighing"},
	{"dsp .4 sad .4 hel .2", "shoulders _ drop*, shoulders _ slump*, slump*, shoulders _ sag*, sagging shoulders"},
	{"dsp .3 hel .2 con .1 ang .1", "shak* _ head, shook _ head, head shak*"},
	{"dsp .5", "dashed"},
	{"dsp .6", "not met, not been met, falls through, fell through, fall through, expectation*"},
	{"dsp .5 sad .3", "lose heart, losing heart, lost heart, face _ sag*, expression _ sag*"},
	{"dsp .5 sad .3", "smile _ fad*, smile _ fall* away, smile _ drop*, smile freez*, smile _ froze, " +
		"smile _ vanish*, smile _ falter*, smile _ faded"},
}
