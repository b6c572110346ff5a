package sim

// The phrase banks of the simulated models. Every fragment of an emotion's bank names a cue of
// that emotion only; the simulated judge finds an explanation's emotion by looking the fragments
// up again (judge.go), and a test checks that no fragment occurs inside another emotion's.

// bank holds the fragments of one emotion ("concept"). All are free of pronouns, so that they
// read the same in every frame.
type bank struct {
	face  []string // noun phrases: facial cues
	body  []string // verb phrases, third person: gestures and posture
	voice []string // noun phrases: vocal cues
	quote []string // speech content, quoted
	infer []string // noun phrases naming the emotion, for hedges and conclusions
	minor []string // noun phrases: a passing trace of the emotion, for mixed sentences
}

// banks covers every label of DFEW and MAFW; labels map onto these concepts in concept().
var banks = map[string]bank{
	"happy": {
		face: []string{"a broad smile that reaches the eyes", "raised cheeks and crinkled eyes",
			"a bright, beaming face", "an open-mouthed grin", "relaxed brows and a wide smile",
			"sparkling eyes and upturned lips"},
		body: []string{"claps both hands together", "leans back with a relaxed laugh",
			"throws both arms up in celebration", "nods along cheerfully"},
		voice: []string{"a warm, lilting tone", "bright laughter between the words",
			"an upbeat, rising intonation", "a light and cheerful voice"},
		quote: []string{`"This is the best day ever!"`, `"I can't believe we actually did it!"`,
			`"Come here, give me a hug!"`, `"You made me so proud."`},
		infer: []string{"a sense of happiness", "genuine joy", "delight and contentment",
			"cheerful excitement", "warm happiness"},
		minor: []string{"a fleeting grin", "a brief chuckle"},
	},
	"sad": {
		face: []string{"downturned corners of the mouth", "teary, red-rimmed eyes",
			"a lowered gaze and drooping eyelids", "inner brows raised in sorrow",
			"a trembling chin", "a pale, crestfallen face"},
		body: []string{"slumps forward with sagging shoulders", "wipes away tears",
			"turns away and hangs the head", "sits motionless, hugging the knees"},
		voice: []string{"a soft, quivering voice", "slow speech broken by sobs",
			"a low, heavy tone", "a voice that cracks mid-sentence"},
		quote: []string{`"She's gone, and she's never coming back."`, `"I miss him so much."`,
			`"Everything I loved is falling apart."`, `"Why did it have to end like this?"`},
		infer: []string{"a sense of sadness", "deep sorrow", "grief and heartache",
			"profound melancholy", "quiet despair"},
		minor: []string{"a hint of sadness", "a wistful look"},
	},
	"neutral": {
		face: []string{"a calm, composed face", "relaxed features without any obvious smile or frown",
			"steady eye contact and still features", "a blank, unreadable expression",
			"an even, attentive gaze", "a placid facial expression"},
		body: []string{"sits upright and still", "listens quietly with hands folded",
			"walks at an unhurried pace", "glances around casually"},
		voice: []string{"an even, unhurried tone", "a flat, measured voice",
			"a steady conversational pitch", "plain, matter-of-fact delivery"},
		quote: []string{`"Let's go over the schedule again."`, `"The meeting starts at nine."`,
			`"I'll take the bus home today."`, `"Pass me that folder, please."`},
		infer: []string{"a neutral state", "calm composure", "no strong emotion",
			"emotional neutrality", "a composed, neutral mood"},
		minor: []string{"a moment of composure", "a brief, blank pause"},
	},
	"angry": {
		face: []string{"furrowed brows and a clenched jaw", "glaring eyes fixed on the other person",
			"a tense, scowling face", "flared nostrils and tightly pressed lips",
			"a reddened face with bared teeth", "narrowed, hostile eyes"},
		body: []string{"jabs a finger toward the other person", "slams a fist on the table",
			"leans forward aggressively", "shoves the chair aside"},
		voice: []string{"a loud, sharp tone", "a harsh, raised voice",
			"clipped and forceful speech", "a growling, aggressive intonation"},
		quote: []string{`"Get out of my house!"`, `"How dare you talk to me like that?"`,
			`"I told you a hundred times!"`, `"Don't you ever lie to me again!"`},
		infer: []string{"a sense of anger", "strong irritation and anger", "barely contained rage",
			"open hostility", "frustrated fury"},
		minor: []string{"a flash of irritation", "a brief flare of temper"},
	},
	"surprise": {
		face: []string{"wide-open eyes and raised eyebrows", "a dropped jaw",
			"a sudden startled look", "eyebrows shooting upward",
			"a gaping mouth and frozen stare", "eyes widening in astonishment"},
		body: []string{"jerks back abruptly", "freezes mid-step",
			"covers the mouth with one hand", "spins around suddenly"},
		voice: []string{"a sharp intake of breath", "a sudden high-pitched exclamation",
			"an abrupt gasp", "a rising, incredulous tone"},
		quote: []string{`"Wait, what? You're here?"`, `"No way, that can't be real!"`,
			`"Oh! I didn't see you there."`, `"You did all this for me?"`},
		infer: []string{"a sense of surprise", "sheer astonishment", "startled amazement",
			"complete shock", "utter disbelief"},
		minor: []string{"a momentary start", "a quick double take"},
	},
	"disgust": {
		face: []string{"a wrinkled nose and raised upper lip", "a sour grimace",
			"lips curled in revulsion", "a squinting, repelled expression",
			"a twisted mouth as if tasting something foul", "a nauseated look"},
		body: []string{"recoils and pushes the plate away", "turns the head aside in revulsion",
			"holds the nose", "shudders and steps back"},
		voice: []string{"a gagging sound", "a drawn-out, repelled groan",
			"a thick, distasteful tone", "a sneering, nasal voice"},
		quote: []string{`"Ugh, that's revolting."`, `"Get that thing away from me."`,
			`"That's absolutely vile."`, `"I think I'm going to be sick."`},
		infer: []string{"a sense of disgust", "strong revulsion", "deep distaste",
			"physical repulsion", "utter loathing"},
		minor: []string{"a slight grimace of distaste", "a brief wrinkle of the nose"},
	},
	"fear": {
		face: []string{"wide, darting eyes", "a pale face frozen in terror",
			"raised brows drawn together and a stretched mouth", "a terrified stare",
			"trembling lips and widened eyes", "a horror-stricken face"},
		body: []string{"backs away slowly against the wall", "hides behind the door",
			"clutches the arm of the person nearby", "crouches down, shaking"},
		voice: []string{"a trembling, breathless voice", "a panicked whisper",
			"a shrill, frightened cry", "rapid, shaky breathing"},
		quote: []string{`"Please, don't hurt me."`, `"Did you hear that? Someone's inside."`,
			`"We have to get out of here, now!"`, `"Stay away from me!"`},
		infer: []string{"a sense of fear", "intense terror", "dread and panic",
			"mounting fright", "sheer horror"},
		minor: []string{"a flicker of unease", "a brief startled shiver"},
	},
	"contempt": {
		face: []string{"a one-sided smirk", "a cold, dismissive sneer",
			"a raised chin and half-lidded eyes", "an eye roll",
			"a condescending half-smile", "a haughty, sidelong glance"},
		body: []string{"waves the other person off dismissively", "turns away with a scoff",
			"looks the other person up and down", "folds both arms with a superior air"},
		voice: []string{"a mocking, sarcastic tone", "a cold, condescending drawl",
			"a derisive snort", "slow, patronizing speech"},
		quote: []string{`"Is that really the best you can do?"`, `"People like you never learn."`,
			`"Don't waste my time."`, `"How pathetic."`},
		infer: []string{"a sense of contempt", "cold disdain", "scorn and superiority",
			"open derision", "dismissive contempt"},
		minor: []string{"a trace of disdain", "a brief scoff"},
	},
	"anxiety": {
		face: []string{"a tense, worried frown", "restless eyes glancing around",
			"a tightly drawn mouth and knitted brows", "nervous lip-biting",
			"a strained, uneasy expression", "a fixed, apprehensive stare"},
		body: []string{"fidgets with the sleeves", "paces back and forth",
			"keeps checking the phone", "taps a foot incessantly"},
		voice: []string{"a hurried, uneven voice", "nervous stammering",
			"a tight, strained pitch", "quick, hesitant speech"},
		quote: []string{`"What if they don't call back?"`, `"I can't stop thinking something will go wrong."`,
			`"Are you sure everything is okay?"`, `"I don't know if I can handle this."`},
		infer: []string{"a sense of anxiety", "persistent worry", "nervous apprehension",
			"restless unease", "growing anxiousness"},
		minor: []string{"a flicker of worry", "a moment of nervousness"},
	},
	"helplessness": {
		face: []string{"a defeated, vacant stare", "eyes pleading for help",
			"a slack, exhausted face", "brows raised in resignation",
			"a lost, bewildered look", "an empty gaze into the distance"},
		body: []string{"lets both arms drop limply", "sinks to the floor",
			"holds the head in both hands", "spreads both palms in resignation"},
		voice: []string{"a weak, faltering voice", "a resigned sigh",
			"a thin, pleading tone", "a voice trailing off into silence"},
		quote: []string{`"There's nothing I can do anymore."`, `"Somebody, please help me."`,
			`"I tried everything, and it wasn't enough."`, `"What am I supposed to do now?"`},
		infer: []string{"a sense of helplessness", "utter powerlessness", "hopeless resignation",
			"feeling trapped and powerless", "defeated helplessness"},
		minor: []string{"a trace of resignation", "a brief, powerless shrug"},
	},
	"disappointment": {
		face: []string{"a deflated expression", "a small, let-down frown",
			"lowered eyes and a tight-lipped look", "a crestfallen half-shake of the head",
			"a face falling after a hopeful start", "a disheartened look"},
		body: []string{"shakes the head slowly", "puts the letter down with a sigh",
			"shrugs and looks away", "lowers the raised glass"},
		voice: []string{"a flat, let-down tone", "a long disappointed sigh",
			"a voice that drops at the end", "a subdued, dejected delivery"},
		quote: []string{`"I really thought you'd come this time."`, `"So that's it, then."`,
			`"I expected more from you."`, `"After all that, nothing changed."`},
		infer: []string{"a sense of disappointment", "deep disillusionment", "unmet expectations",
			"quiet dejection", "a feeling of being let down"},
		minor: []string{"a hint of letdown", "a brief dejected glance"},
	},
}

// genericBank is the bank of a custom label set's label without a built-in concept.
func genericBank(label string) bank {
	return bank{
		face:  []string{"an expression that reads as " + label, "a face marked by " + label},
		body:  []string{"moves in a way that conveys " + label},
		voice: []string{"a tone that sounds " + label, "speech colored by " + label},
		quote: []string{`"I can't hide how I feel."`},
		infer: []string{"a sense of " + label, "an unmistakable " + label},
		minor: []string{"a passing trace of " + label},
	}
}

// answerSynonyms are the answer words real models write instead of the label (docs/reference.md §2).
var answerSynonyms = map[string]string{
	"sad": "sadness", "happy": "happiness", "angry": "anger", // DFEW labels
	"anger": "angry", "sadness": "sad", "happiness": "happy", "anxiety": "anxious", // MAFW labels
	"helplessness": "helpless", "disappointment": "disappointed", "contempt": "contemptuous",
}

// confusable lists, per concept, the concepts a model most often mistakes it for.
var confusable = map[string][]string{
	"happy":          {"surprise", "neutral"},
	"sad":            {"neutral", "fear", "helplessness", "disappointment"},
	"neutral":        {"sad", "angry", "anxiety"},
	"angry":          {"disgust", "neutral", "contempt"},
	"surprise":       {"fear", "happy"},
	"disgust":        {"angry", "contempt"},
	"fear":           {"surprise", "anxiety", "sad"},
	"contempt":       {"disgust", "angry"},
	"anxiety":        {"fear", "sad", "helplessness"},
	"helplessness":   {"sad", "anxiety", "disappointment"},
	"disappointment": {"sad", "helplessness", "neutral"},
}

// classDifficulty scales a model's accuracy per concept: rare and subtle classes are recognised
// less often, as in real DFER results (the scale is renormalised over the split).
var classDifficulty = map[string]float64{
	"happy": 1.15, "sad": 1.05, "neutral": 1.0, "angry": 1.05, "surprise": 0.95, "disgust": 0.45,
	"fear": 0.85, "contempt": 0.45, "anxiety": 0.75, "helplessness": 0.55, "disappointment": 0.5,
}

type person struct {
	noun     string // "a man in a dark suit"
	pro, pos string // he, his
	gender   string // male, female
}

var people = []person{
	{"a man in a dark suit", "he", "his", "male"},
	{"a young woman with long hair", "she", "her", "female"},
	{"an elderly man with gray hair", "he", "his", "male"},
	{"a woman in a red dress", "she", "her", "female"},
	{"a middle-aged man wearing glasses", "he", "his", "male"},
	{"a teenage girl in a school uniform", "she", "her", "female"},
	{"a man in a leather jacket", "he", "his", "male"},
	{"a woman in a white blouse", "she", "her", "female"},
	{"a bearded man", "he", "his", "male"},
	{"a young man in a hoodie", "he", "his", "male"},
	{"a woman with short curly hair", "she", "her", "female"},
	{"a police officer in uniform", "he", "his", "male"},
	{"an older woman in a cardigan", "she", "her", "female"},
	{"a boy of about ten", "he", "his", "male"},
}

var scenes = []string{"in a dimly lit room", "on a crowded street", "inside a moving car",
	"in a hospital corridor", "at a dinner table", "in a cramped office", "in a narrow hallway",
	"outdoors at night", "in an empty classroom", "in a small kitchen", "by a rain-streaked window",
	"on a train platform", "in a courtroom", "at a busy bar"}

// Frames. {S} is the person, {pro}/{Pro} the pronoun, {pos}/{Pos} the
// possessive, {G} the gender, {scene} the place, and {X} the emotion fragment.
var (
	visualOpen = []string{
		"In the video, {S} {scene} shows {X}.",
		"The video shows {S} {scene}, with {X}.",
		"At the start of the clip, {S} {scene} appears with {X}.",
		"We see {S} {scene} with {X}.",
		"The scene takes place {scene}, where {S} is shown with {X}.",
	}
	visualMore = []string{
		"{Pro} is shown with {X}.",
		"A close-up reveals {X}.",
		"Looking at {pos} face, one notices {X}.",
	}
	bodyFrames = []string{
		"{Pro} {X}.",
		"At one point, {pro} {X}.",
		"In terms of body language, {pro} {X}.",
	}
	voiceFrames = []string{
		"What stands out in the audio is {X}.",
		"In the audio, {pro} speaks with {X}.",
		"The audio track carries {X}.",
		"Acoustically, the speech is marked by {X}.",
		"As for the sound, there is {X}.",
	}
	quoteFrames = []string{
		"{Pro} says {X}, which reveals {pos} inner state.",
		"The line {X} adds to this impression.",
		"When {pro} says {X}, the words themselves carry the feeling.",
		"The speech content, {X}, further supports this reading.",
	}
	hedgeFrames = []string{
		"This suggests {X}.",
		"This may indicate {X}.",
		"{Pro} seems to be experiencing {X}.",
		"{Pro} appears to be overwhelmed by {X}.",
		"These cues hint at {X}.",
		"It may be that {pro} is struggling with {X}.",
	}
	// mixed frames name two emotions in one sentence: {M} a passing trace of another emotion, {X}
	// the supported one.
	mixedFrames = []string{
		"Although there is {M} at first, {pos} expression soon settles into {X}.",
		"{Pos} reaction mixes {M} with {X}, but the latter clearly dominates.",
		"Beyond {M}, what stands out is {X}.",
	}
	concludeAV = []string{
		"Overall, we can infer that {pos} emotional state is {X}.",
		"Taken together, these cues point to {X}.",
		"Combining the visual and auditory cues, we can infer {X}.",
		"Therefore, the emotion conveyed most clearly is {X}.",
		"In summary, {pro} is most likely experiencing {X}.",
	}
	concludeVideo = []string{
		"Based on the visual cues alone, we can infer {X}.",
		"From {pos} face and posture, the most likely emotion is {X}.",
		"Without audio, the visible behavior points to {X}.",
	}
	concludeAudio = []string{
		"Judging from the voice alone, we can infer {X}.",
		"Although nothing can be seen, the audio points to {X}.",
		"Based on the vocal cues, the most likely emotion is {X}.",
	}
	audioOpen = []string{
		"In the audio, a {G} speaker talks with {X}.",
		"The recording features a {G} speaker with {X}.",
		"On the soundtrack, a {G} speaker can be heard with {X}.",
	}
	leadVision = []string{
		"The visual cues are the most informative here.",
		"What can be seen matters most in this clip.",
		"The face carries most of the information in this clip.",
	}
	leadAudio = []string{
		"The audio carries most of the information in this clip.",
		"What can be heard matters most in this clip.",
		"The voice is the most telling cue here.",
	}
	noVideo = "No visual information is available for this clip."
	noAudio = "No audio is available for this clip."
)
