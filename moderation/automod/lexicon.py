"""What AutoMod reads chat for, beyond swear words: hate, threats, self-harm baiting, sexual
harassment, insults aimed at someone, and spam or scams (pure: no Django).

Every pattern runs on ``moderation.normalize.plain`` text: lowercase words joined by single
spaces, disguises undone, apostrophes dropped ("you're" is "youre", "I'll" is "ill"). A
category's score is the strongest of its patterns that matched: 1.0 for what no context
excuses (a slur, "kys", "I know where you live"), lower for what usually, not always, is
meant so. Gaming talk is why the patterns ask for a person as the target: "kill the
healer" is the game, "I will kill you irl" is not.
"""

import re

# Someone the words can be aimed at: you, the streamer, the mods, chat, a named person.
_YOU = r"(?:you|u|ya|yall|ur|youre|your|yours|yourself|urself|thee)"
_THEM = (r"(?:you|u|ya|yall|ur|youre|your|yourself|urself|streamer|streamers|the streamer|"
         r"this streamer|mods?|the mods?|this mod|chat|this chat|this guy|this dude|he|she|"
         r"hes|shes|him|her|they|this kid|bro|dude|host)")  # fmt: skip


def _any(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


# Groups that hate speech generalises about.
_GROUP = _any(
    r"women",
    r"woman",
    r"girls",
    r"females",
    r"gays?",
    r"gay people",
    r"jews?",
    r"jewish people",
    r"muslims?",
    r"islam",
    r"blacks?",
    r"black people",
    r"whites",
    r"white people",
    r"immigrants?",
    r"migrants?",
    r"mexicans?",
    r"asians?",
    r"chinese",
    r"arabs?",
    r"indians?",
    r"trans people",
    r"trans women",
    r"trans men",
    r"transgenders?",
    r"lesbians?",
    r"refugees?",
    r"christians?",
    r"feminists?",
    r"fat people",
    r"old people",
    r"disabled people",
    r"gypsies",
    r"roma",
    r"africans?",
    r"latinos?",
    r"hindus?",
    r"sikhs?",
    r"catholics?",
    r"foreigners?",
    r"queers?",
    r"bisexuals?",
    r"autistic people",
    r"poor people",
)
_DEGRADING = _any(
    r"stupid",
    r"dumb",
    r"inferior",
    r"criminals?",
    r"terrorists?",
    r"animals?",
    r"apes?",
    r"monkeys?",
    r"disgusting",
    r"subhuman",
    r"vermin",
    r"rats",
    r"cockroaches",
    r"parasites?",
    r"thieves",
    r"rapists?",
    r"mentally ill",
    r"sick in the head",
    r"a disease",
    r"diseased",
    r"trash",
    r"garbage",
    r"worthless",
    r"brainwashed",
    r"idiots",
    r"evil",
    r"filthy",
    r"dirty",
    r"scum",
    r"lesser",
    r"not human",
    r"abominations?",
    r"groomers?",
    r"pedos?",
    r"degenerates?",
    r"useless",
    r"weak",
    r"too stupid",
    r"a plague",
    r"a virus",
)
_SLURS = _any(
    r"nigg(?:er|ers|a|as|uh)",
    r"n[i1]gg?[e3]r",
    r"f[a@]gg?[o0]ts?",
    r"fags?",
    r"trann(?:y|ies)",
    r"k[iy]kes?",
    r"chinks?",
    r"sp[i1]cs?",
    r"wetbacks?",
    r"beaners?",
    r"gooks?",
    r"coons?",
    r"towelheads?",
    r"raghead",
    r"sandn[i1]gg\w*",
    r"dykes?",
    r"retards",
    r"paki",
    r"shemales?",
    r"jigaboo",
    r"porch monkey",
    r"cotton picker",
    r"zipperhead",
)

HATE = [
    (1.0, _SLURS),
    (
        1.0,
        _any(
            r"heil hitler",
            r"sieg heil",
            r"white power",
            r"1488",
            r"14 88",
            r"88 14",
            r"gas the \w+",
            r"holocaust (?:never happened|didnt happen|is a lie|was fake)",
            r"hitler (?:was right|had a point|did nothing wrong)",
            r"great replacement",
            r"white genocide",
            r"race war now",
            r"kill all (?:the )?\w+s\b",
            r"chinese virus",
            r"kung flu",
        ),
    ),
    (
        0.95,
        rf"\b{_GROUP} (?:are|r|is|were|be) (?:all |just |so |too |nothing but |literally )?"
        rf"(?:a bunch of |all |such |the )?{_DEGRADING}",
    ),
    (
        0.95,
        rf"\b{_GROUP} (?:should|need to|must|ought to) (?:all |just |simply )?(?:be |get )?"
        r"(?:shot|killed|gassed|deported|banned|locked up|sterilized|die|burn|hang|go back|"
        r"leave|be removed|be exterminated|not exist|not be allowed)",
    ),
    (
        0.95,
        rf"\b{_GROUP} (?:shouldnt|should not|cant|cannot|dont|do not|arent) "
        r"(?:be allowed|stream|play|game|be mods?|vote|exist|drive|think|lead|be trusted)",
    ),
    (0.9, rf"\b{_GROUP} (?:belong|go back) (?:in|to) (?:the )?\w+"),
    (
        0.9,
        rf"\b(?:all |every single |every )?{_GROUP} (?:smell|stink|eat dogs|control|steal|rape|"
        r"ruin|ruined|need the right man|are the problem)",
    ),
    (0.9, rf"\b(?:no|ban|get rid of|deport all|kick out) (?:the |all )?{_GROUP}\b"),
    (
        0.9,
        r"\b(?:go back to (?:your|ur|the) (?:country|jungle|cave|desert|homeland|kitchen)|"
        r"send them (?:all )?back|speak english or|your kind (?:isnt|is not|arent|are not)|"
        r"you people (?:should|are|need)|no girls allowed|sand people|"
        r"(?:women|girls|females) belong in the kitchen|"
        r"(?:thats|that is|how|so) gay(?: like you)?$|back to the kitchen)",
    ),
    (
        0.85,
        r"\b(?:being |is |are )?(?:trans|gay|lesbian|bi) (?:is|are) (?:a )?"
        r"(?:mental illness|mentally ill|a disease|disgusting|unnatural|a sin|wrong)",
    ),
    (0.85, r"\b(?:subhuman|untermensch|mongrels?|inbred \w+s)\b"),
    (
        0.8,
        rf"\b(?:i can tell|obviously|of course) (?:youre|you are|hes|shes) (?:a )?"
        rf"(?:foreigner|immigrant|woman|girl|gay|jew|muslim|black)\b.*\b{_DEGRADING}",
    ),
]

THREAT = [
    (
        1.0,
        _any(
            r"i know where (?:you|u|ya) live",
            r"(?:your|ur) (?:home )?address",
            r"im (?:outside|at) (?:your|ur) (?:door|house|home|place|window)",
            r"(?:swat|swatting|doxx?|doxxing|dox) (?:you|u|ur|your)",
            r"(?:gonna|going to|will|ill|im gonna|im going to) (?:swat|doxx?)",
            r"(?:ill|i will|im gonna|im going to|gonna) (?:find|hunt) (?:you|u|ur)",
            r"(?:find|hunt) (?:you|u) (?:down )?(?:irl|in real life)",
            r"i know what school",
            r"i know (?:your|ur) real name",
            r"(?:tracking|traced|got|have) (?:your|ur) ip",
            r"(?:ill|i will|gonna|going to) leak (?:your|ur)",
            r"(?:put|putting) a bullet in",
            r"sleep with one eye open",
            r"watch (?:your|ur) back",
            r"say goodbye to (?:your|ur)",
            r"(?:ill|i will|im gonna) (?:find|get|hurt|visit) (?:your|ur) "
            r"(?:kids|family|mom|dad|sister|brother|wife|girlfriend|dog|cat)",
            r"(?:your|ur) (?:dog|cat|family|kids|mom) (?:wont|will not) be safe",
            r"(?:send|sending) (?:people|someone|my boys|guys) to (?:your|ur)",
            r"(?:posting|post|leaking|leak) (?:your|ur) (?:home )?(?:address|location|info)",
            r"burn (?:your|ur) house",
            r"youre dead (?:irl|for real)",
        ),
    ),
    (
        0.95,
        rf"\b(?:ill|i will|i'll|im gonna|im going to|im about to|gonna|going to|i wanna|"
        rf"i want to|i am going to|im coming to|about to) (?:\w+ ){{0,2}}"
        rf"(?:kill|murder|stab|shoot|hurt|beat|punch|strangle|choke|smash|break|cut|slit|"
        rf"burn|end|bleed|rape|behead|curb stomp|skin|torture|bash|jump|pound) "
        rf"{_YOU}\b(?! in (?:game|the game|this game|the next|ranked|pvp|1v1|the finals))",
    ),
    (
        0.95,
        r"\b(?:ill|i will|im gonna|im going to|gonna|going to) (?:\w+ ){0,2}"
        r"(?:break|smash|cut|slit|snap) (?:your|ur) "
        r"(?:legs?|arms?|neck|face|skull|teeth|throat|head|fingers?)",
    ),
    (
        0.95,
        r"\b(?:ill|i will|im gonna|im going to) (?:make sure )?(?:you|u) (?:never walk|"
        r"bleed|regret|suffer|pay|disappear|cant walk|cant breathe|wont wake)",
    ),
    (0.95, r"\b(?:ill|i will) make (?:your|ur) life (?:hell|a living hell|miserable)"),
    (
        0.9,
        r"\b(?:someone|somebody|people|they|we) (?:should|needs? to|ought to|will|gonna) "
        r"(?:\w+ )?(?:kill|shoot|stab|hurt|beat|run over|murder|run|jump|rape|put a bullet "
        r"in) (?:you|u|this streamer|the streamer|him|her|this guy|this mod|over you)",
    ),
    (
        0.9,
        rf"\b{_YOU} (?:deserve|deserves|should) (?:to )?(?:get |be )?"
        r"(?:shot|stabbed|killed|hurt|beaten|murdered|raped|hanged|lynched|run over)",
    ),
    (
        0.9,
        r"\b(?:people|someone|guys|men|women) like (?:you|u|him|her) (?:should|deserve to) "
        r"(?:be |get )?(?:shot|killed|hurt|beaten|die|dead)",
    ),
    (
        0.9,
        r"\b(?:i )?hope (?:you|u|ur|your|he|she|the streamer) (?:\w+ ){0,3}"
        r"(?:die|dies|get hurt|gets hurt|get cancer|gets cancer|crash|crashes|get shot|"
        r"gets shot|get stabbed|burns?|suffers?|get raped|gets raped|get killed|gets killed|"
        r"get run over|gets run over|drown|drowns)",
    ),
    (
        0.9,
        r"\b(?:i )?hope (?:someone|somebody|a \w+) (?:\w+ )?(?:stabs|kills|shoots|hurts|"
        r"beats|runs over|rapes|murders|finds|doxxes|swats) (?:you|u|him|her)\b",
    ),
    (
        0.9,
        r"\b(?:next time|when|once) (?:you|u) (?:go|step|leave|walk) (?:outside|out|home)"
        r".*\b(?:dead|die|done|hurt|regret)",
    ),
    (
        0.9,
        r"\b(?:irl|in real life|for real|not in (?:the )?game)\b.*\b(?:kill|end|hurt|"
        r"stab|shoot|beat|find) (?:you|u)\b|\b(?:kill|end|hurt|stab|shoot|beat|find) "
        r"(?:you|u) (?:\w+ )?(?:irl|in real life|for real|not in (?:the )?game)",
    ),
    (
        0.85,
        r"\b(?:one day|soon|tonight|after (?:school|stream|work)) (?:\w+ ){0,4}"
        r"(?:hurt|kill|find|get|visit) (?:you|u)\b",
    ),
    (
        0.85,
        r"\bbring a (?:helmet|ambulance|body bag)\b|\byoull need (?:a|an) "
        r"(?:ambulance|body bag|coffin)\b",
    ),
    (0.85, r"\b(?:be careful|watch out) (?:at|when|after) .*\b(?:ill|i will) be there\b"),
    (
        0.8,
        r"\b(?:you|u) (?:wont|will not) be (?:streaming|around|alive|breathing) "
        r"(?:much longer|for long|tomorrow)",
    ),
    (0.8, r"\b(?:i will|ill|im gonna|gonna) (?:end|cut|get) (?:you|u)$"),
]

SELF_HARM = [
    (
        1.0,
        r"\b(?:kys|kms and you|kill (?:yo)?ur ?self|kill yourself|kil yourself|"
        r"kill urself|unalive (?:yo)?ur ?self|unalive yourself|unalive urself|"
        r"hang (?:yo)?ur ?self|hang yourself|neck (?:yo)?ur ?self|neck yourself|"
        r"rope (?:yo)?ur ?self|rope yourself|slit (?:your|ur) (?:wrists?|throat)|"
        r"drink bleach|go die in a (?:fire|hole|ditch)|die in a (?:fire|hole|ditch)|"
        r"off (?:yo)?ur ?self|off yourself|commit (?:die|sudoku|toaster bath)|"
        r"(?:please|pls|plz|just|go|you should|u should) unalive|"
        r"delete (?:yo)?ur ?self|delete yourself|shoot (?:yo)?ur ?self|shoot yourself)\b",
    ),
    (
        0.95,
        r"\b(?:just |go |please |pls |plz )?(?:end it|end your life|end ur life|"
        r"end your stream and your life|take your (?:own )?life|take ur (?:own )?life)"
        r"(?: all| already| now| pls| please)?\b",
    ),
    (
        0.95,
        r"\b(?:jump|leap|throw yourself) (?:off|from|in front of) (?:a|the) "
        r"(?:bridge|roof|building|cliff|train|bus|window|balcony)",
    ),
    (
        0.95,
        r"\b(?:world|everyone|every one|we|family|your family|chat|ur family|your parents) "
        r"(?:would be|will be|is|are|d be|would all be) (?:better|happier) "
        r"(?:off )?(?:without you|if you (?:were|was) (?:gone|dead))",
    ),
    (
        0.95,
        r"\b(?:nobody|no one|noone) (?:would|will) (?:miss|care|notice|cry)(?: about| if)? "
        r"(?:you|if you|ur)",
    ),
    (
        0.95,
        r"\b(?:why (?:are|r) (?:you|u) (?:still )?alive|youre better off dead|"
        r"(?:you|u) (?:are|r|would be|d be) better off dead|better off dead|"
        r"(?:you|u) should (?:just )?(?:die|stop breathing|not exist|disappear)|"
        r"stop (?:existing|breathing)|have you considered not existing|"
        r"put (?:yo)?ur ?self out of (?:your|ur) misery|"
        r"(?:go |just )?play in (?:the )?traffic|take a long walk off a short pier|"
        r"(?:overdose|od) already|swallow (?:a bottle of |some )?(?:pills|bleach)|"
        r"cut (?:yo)?ur ?self|cut yourself|starve (?:yo)?ur ?self|starve yourself|"
        r"the (?:bridge|rope) is calling|do a flip off|six feet under|"
        r"log off (?:permanently|forever) from life|waste of (?:air|oxygen|space)(?:,)? "
        r"fix that)",
    ),
    (
        0.9,
        # The whole message says it ("go die", "pls just die"), or it says it to "you"; "come
        # on boss just die" is the game.
        r"^(?:(?:just|pls|please|plz|so|then|go|lol|ok|okay) )*(?:die|jump)"
        r"(?: already| pls| please| irl| now| lol| loser| idiot)?$|"
        r"\b(?:you|u|ya) (?:should|need to|can|could|ought to|better) (?:just |go |all )*"
        r"(?:die|jump)\b(?! (?:in|on|at|into|over|across|to|the|from|off the ledge in game))",
    ),
    (0.9, r"\b(?:if i were you|if i was you) (?:id|i would) (?:have )?(?:ended|end|kill)"),
    (0.85, r"\b(?:no one|nobody) (?:loves|likes|wants) (?:you|u)\b.*\b(?:end it|die|gone)"),
]

SEXUAL = [
    (
        1.0,
        r"\b(?:send|show|post|dm me) (?:us |me |chat )?(?:your |ur |some )?"
        r"(?:nudes|tits|boobs|bobs|titties|nipples|pussy|dick|cock|naked pics|nude pics)\b",
    ),
    (
        1.0,
        r"\b(?:suck|lick|ride|touch) my (?:dick|cock|balls|d|meat|pp)\b|\bsit on my (?:face|"
        r"lap|dick|cock)\b|\bget on (?:your|ur) knees\b|\bspread (?:your|ur|those) legs\b|"
        r"\bbend over\b|\bim (?:hard|wet|touching myself|jerking)\b|\btouching myself\b|"
        r"\b(?:breed|impregnate) (?:you|u|her)\b|\bmoan for\b|\bsex toy\b|\blap dance\b",
    ),
    (
        0.95,
        r"\bshow (?:us |me |chat )?(?:your |ur |them |those |some )?(?:feet|ass|butt|body|"
        r"chest|cleavage|skin|legs|thighs|belly|underwear|panties|bra|boobs|bobs|tits)\b",
    ),
    (
        0.95,
        r"\b(?:take|takes|taking) (?:your |ur |her |that |the |it |them )?"
        r"(?:\w+ )?(?:shirt|top|clothes|bra|panties|pants|dress|it) off\b|"
        r"\btake it off\b|\bfor subs\b.*\b(?:naked|off|show)\b",
    ),
    (
        0.95,
        r"\b(?:wanna|want to|would|id|i would|i want to|let me|lemme) (?:\w+ )?"
        r"(?:smash|fuck|bang|screw|hit that|rail|lick|smell|sniff|taste|grope|kiss) "
        r"(?:you|u|her|your|ur|that|all over)\b|\bid smash\b|\bi want to see you naked\b",
    ),
    (
        0.9,
        r"\b(?:naked|nude|nudes|no clothes|topless|onlyfans|only fans|hook up|hookup|"
        r"freak in bed|in bed with|in the shower|wearing anything under|"
        r"(?:what|whats) (?:color|colour) (?:is |are )?(?:your|ur) (?:underwear|panties|bra)|"
        r"(?:bra|cup) size|your body is wasted|nice (?:ass|tits|boobs|rack|butt|body)|"
        r"(?:zoom|point|move) (?:in )?(?:the camera )?(?:on|at|to) (?:her|his|your|ur) "
        r"(?:butt|ass|chest|boobs|body|legs)|turn the (?:cam|camera) (?:lower|down)|"
        r"flash (?:the|us|chat|your)|(?:lick|licking) the mic|walking (?:sex|fuck) toy|"
        r"show skin|only popular because of (?:your|her) (?:chest|body|boobs|looks))\b",
    ),
    (
        0.9,
        r"\b(?:dm|send|snap|message|pm) me (?:\w+ )?(?:pics|pictures|photos|selfies|"
        r"nudes|feet pics|videos of you)\b",
    ),
    (
        0.9,
        r"\b(?:how big|how small) (?:are|is) (?:your|ur|her) "
        r"(?:boobs|tits|chest|ass|butt|dick)\b",
    ),
    (0.85, r"\bmake me a sandwich\b|\bback to the kitchen\b"),
    (0.8, r"\b(?:come|go) to my (?:room|bed|place)\b.*\b(?:show|something|fun)\b"),
    (0.75, r"\b(?:sexy|hot|thicc|thick) (?:body|ass|legs|mama|girl|streamer)\b"),
]

# Words that insult a person; aimed at someone ("you idiot", "the streamer is trash") they
# are an insult, about oneself ("I'm such an idiot") or a thing ("my aim is trash") not.
_INSULT_WORDS = _any(
    r"idiots?",
    r"morons?",
    r"losers?",
    r"dumb(?:ass|asses)?",
    r"stupid",
    r"retard(?:ed)?",
    r"trash",
    r"garbage",
    r"clowns?",
    r"pathetic",
    r"ugly",
    r"fat",
    r"worthless",
    r"brain ?dead",
    r"disgrace",
    r"degenerates?",
    r"parasites?",
    r"scumbags?",
    r"scum",
    r"hack",
    r"liars?",
    r"virgins?",
    r"slobs?",
    r"cockroach(?:es)?",
    r"pigs?",
    r"nerds?",
    r"bitch(?:es)?",
    r"cunts?",
    r"assholes?",
    r"dickheads?",
    r"shitheads?",
    r"motherfuckers?",
    r"bastards?",
    r"whores?",
    r"sluts?",
    r"piece of shit",
    r"pos",
    r"human garbage",
    r"waste of (?:oxygen|air|space|skin)",
    r"iq of a \w+",
    r"braindead",
    r"imbeciles?",
    r"cretins?",
    r"twats?",
    r"wankers?",
    r"pricks?",
    r"jerks?",
    r"douche(?:bag)?s?",
    r"simps?",
    r"incels?",
    r"failures?",
    r"noobs?",
    r"talentless",
    r"annoying",
    r"cringe",
    r"fraud",
    r"freaks?",
    r"rats?",
    r"snakes?",
    r"trash can",
    r"dogshit",
    r"shit",
    r"pussy",
    r"pussies",
    r"cowards?",
    r"wimps?",
    r"dipshits?",
    r"jackass(?:es)?",
    r"fuckfaces?",
)
_SELF = r"(?:i|im|i am|me|my|myself|mine|ive)"
_STRONG_INSULTS = _any(
    r"idiot",
    r"moron",
    r"loser",
    r"dumbass",
    r"retard",
    r"clown",
    r"bitch",
    r"cunt",
    r"asshole",
    r"dickhead",
    r"shithead",
    r"motherfucker",
    r"bastard",
    r"whore",
    r"slut",
    r"twat",
    r"wanker",
    r"prick",
    r"douchebag",
    r"imbecile",
    r"scumbag",
    r"dipshit",
    r"jackass",
    r"fuckface",
    r"cocksucker",
    r"piece of shit",
    r"pos",
    r"degenerate",
    r"pussy",
)
INSULT = [
    (
        1.0,
        r"\b(?:fuck|fck|screw|f) (?:you|u|off|ya|yall|this (?:streamer|guy|mod|chat)|"
        r"the (?:streamer|mods?)|mods|chat)\b|\bgo fuck (?:yo)?ur ?self\b|"
        r"\bfuck yourself\b|\bstfu\b|\bshut (?:the fuck |tf |your (?:\w+ )?(?:mouth|face) "
        r"|ur (?:\w+ )?(?:mouth|face) )?up\b(?!.*\b(?:and take my money|take my money)\b)|"
        r"\beat (?:shit|a dick|my ass)\b|\bgo to hell\b|\bsuck my (?:ass|balls)\b|"
        r"\b(?:you|u|streamer|he|she|mods?|chat) (?:suck|sucks)\b|"
        r"\bnobody (?:likes|cares about|asked|wants) (?:you|u|this|him|her)\b",
    ),
    (
        0.95,
        rf"\b{_THEM} (?:is|are|r|is such|are such|is a|are a|is an|are an|so|such|"
        rf"absolute|complete|total|fucking|fuckin|a|an|the)? ?(?:a |an |such a |such an |"
        rf"the |fucking |fuckin |absolute |complete |total |little |pathetic |stupid |"
        rf"dumb |bunch of |full of |literally |genuinely |so |the dumbest |the worst )*"
        rf"{_INSULT_WORDS}\b",
    ),
    (0.95, rf"\b(?:what|such) an? (?:\w+ )?{_INSULT_WORDS}\b"),
    (0.95, rf"\b{_INSULT_WORDS} (?:streamer|mods?|chat|host|player)\b"),
    (
        0.9,
        rf"\b(?:your|ur) (?:mom|mother|dad|father|face|voice|haircut|family|content|"
        rf"stream|parents|gameplay|mum)(?: \w+)? (?:is|are|r|looks|sounds|belongs) "
        rf"(?:\w+ ){{0,3}}(?:a |an |so |in )?(?:{_INSULT_WORDS}|zoo|dying pig|whore|slut|"
        rf"ugly|annoying)\b",
    ),
    (
        0.9,
        r"\b(?:imagine being this|uninstall (?:your )?life|no wonder (?:your|ur) "
        r"(?:parents|dad|mom|wife|girlfriend|friends) left|get off the internet|"
        r"go cry to (?:your|ur) (?:mommy|mom|mama)|turn the cam off|"
        r"(?:you|u) (?:look|sound|smell) like (?:a|an) (?:\w+ )?(?:pig|potato|thumb|rat|"
        r"goblin|troll|whale|cow|dog|monkey|clown|dying \w+)|the (?:dumbest|worst|ugliest|"
        r"stupidest) (?:person|streamer|mod|human)|l (?:streamer|mods?|human)\b)",
    ),
    (0.85, rf"\b{_INSULT_WORDS} (?:like|just like) (?:you|u)\b"),
    (
        0.9,
        rf"^(?:{_YOU} |what a |such a |you re )?(?:a |an |such a |fucking |fuckin |little |"
        rf"stupid |dumb )?{_STRONG_INSULTS}$",
    ),
    (
        0.9,
        r"\b(?:fat|ugly|stupid|dumb|pathetic|worthless|braindead|brain dead|disgusting|"
        r"filthy|lazy|useless) (?:ass )?(?:slob|loser|bitch|pig|idiot|moron|cow|whale|clown|"
        r"virgin|rat|freak|piece of shit|cunt|bastard|retard|dog|trash|garbage|failure|"
        r"waste)\b",
    ),
    (0.9, r"\b(?:have|got|has) (?:the|an) iq of (?:a|an) \w+|\biq (?:lower|smaller) than\b"),
]

# Selling followers and views, free-currency lures, crypto scams, self-promotion.
SPAM = [
    (
        1.0,
        r"\b(?:buy|cheap|get|real|free|best|instant|fast|more|gain|increase) "
        r"(?:\w+ )?(?:twitch |real |cheap |free |active )?(?:followers|viewers|views|subs|"
        r"primes|prime subs|chatters|follows|viewbots?|likes)\b.*\b(?:at|on|from|dot|com|"
        r"net|ru|xyz|shop|store|now|today|prices?|cheap|here|discord|dm|link|bio|profile|"
        r"legit|site|website)\b",
    ),
    (
        1.0,
        r"\b(?:free|cheap|unlimited) (?:v ?bucks|robux|nitro|skins?|gift ?cards?|"
        r"primes?|bits|subs|coins|crypto|bitcoin|btc|eth|game keys|rp|riot points|gems)\b",
    ),
    (
        1.0,
        r"\b(?:double|triple|multiply) (?:your|ur) (?:bitcoin|btc|eth|crypto|money|"
        r"investment)|\bsend \d+(?:\.\d+)? ?(?:btc|eth|bitcoin|usdt|sol)\b|"
        r"\b(?:elon|musk|mrbeast) (?:is )?giving away\b|\bcrypto signals\b|\bpump group\b|"
        r"\bto the moon\b.*\b(?:coin|token|invest|buy)\b|\binvest in my\b",
    ),
    (
        0.95,
        r"\b(?:sub ?(?:4|a|for) ?sub|f ?(?:4|a) ?f|follow ?(?:4|a|for) ?follow|"
        r"l ?(?:4|a) ?l|follow back|i follow back|follow me back|viewbot|view bot|viewbotting|"
        r"promote your (?:stream|channel)|grow your (?:stream|channel|audience)|"
        r"double your viewers|marketing agency|for \d+ viewers)\b",
    ),
    (
        0.95,
        r"\b(?:earn|make) \$?\d*\s?(?:k )?(?:a|per) (?:day|week|hour|month) from home\b|"
        r"\bearn money from home\b|\bno experience\b.*\b(?:dm|message|money)\b|"
        r"\bwin (?:an? )?(?:iphone|ps5|xbox|gift card|macbook)\b.*\b(?:click|link|bio)\b",
    ),
    (
        0.9,
        r"\b(?:dm|message|msg|pm|add|contact|text) me (?:on \w+ )?(?:for|now|to buy|"
        r"if you want|for (?:details|prices|info|more))\b|\b(?:cheap|buy) (?:accounts|"
        r"gift cards|keys)\b|\bi sell (?:accounts|followers|views|keys)\b|"
        r"\bi (?:make|sell|offer) (?:overlays|emotes|logos|panels)\b",
    ),
    (
        0.9,
        r"\b(?:come|go|pls|please) (?:watch|check out|visit|follow|sub to) my "
        r"(?:stream|channel|twitch|youtube|page|onlyfans|profile|website)\b|"
        r"\b(?:check|visit|see) (?:out )?my (?:new )?(?:\w+ )?(?:profile|bio|channel|stream|page|"
        r"art|music|videos?|shop|store|website|site|server|discord|youtube|tiktok|insta|"
        r"instagram|onlyfans|mixtape|merch|clips?)\b|"
        r"\bgo to my channel\b|\bim live (?:right )?now\b|\bjoin my discord\b|"
        r"\blinks? (?:is |are )?in (?:my )?(?:bio|profile|description|about)\b|"
        r"\bclick (?:the link|here|my)\b|"
        r"\bspecial surprise\b|\bits legit\b|\bno survey\b|\bgenerator\b",
    ),
    (
        0.9,
        r"\b(?:free|cheap|buy|buying|selling|sell) (?:real |active |twitch |instagram )?"
        r"(?:followers|viewers|views|follows|viewbots?)\b",
    ),
    (
        0.85,
        r"\b(?:free|cheap) \w+ (?:at|on) \w+ (?:dot|\.) ?(?:com|net|org|io|gg|ru|xyz|shop|"
        r"gift|tk)\b|\b\w+ dot (?:com|net|shop|ru|xyz|io|gg)\b",
    ),
    (
        0.8,
        r"\b(?:case opening|gambling) site\b|\bcode \w+ for (?:free|\d+)\b|"
        r"\bgives \d+ free\b|\bfree \d+ (?:coins|gems|credits)\b",
    ),
]

# Swear words proper. The classifier also scores "kill", "die", "stupid" and "idiot" high;
# those are the lexicon's to judge in context ("kill the healer", "I'm such an idiot"), so
# only a message that swears counts as profanity.
_SWEARING = re.compile(
    r"\b(?:fuck\w*|\w*fucker\w*|motherf\w*|shit\w*|bullshit|bitch\w*|cunts?|dick(?:s|head\w*)?|"
    r"cock(?:s|sucker\w*)?|puss(?:y|ies)|ass|asses|asshole\w*|jackass|dumbass|whores?|sluts?|"
    r"bastards?|damn\w*|goddamn\w*|crap\w*|piss\w*|hell|twats?|wank\w*|pricks?|bollocks|"
    r"arse\w*|retard\w*|fag\w*|nigg\w*|tits|titties|stfu|wtf|gtfo|omfg)\b"
)


def swearing(plain: str) -> bool:
    """Whether the text swears (a swear word proper, not just a harsh one)."""
    return bool(_SWEARING.search(plain))


# What makes rough words praise, not abuse ("fucking legend", "holy shit that was clean").
_PRAISE = re.compile(
    r"\b(?:legend(?:ary)?|amazing|incredible|insane(?:ly)?|clean|beautiful|talented|goat|good|"
    r"great|nice|well played|wp|gg|did it|won|win|madman|beast|monster|animal|savage|sick|"
    r"clutch|best|love|loved|awesome|wicked|badass|fire|slaps|cooking|cooked|impressive|"
    r"gorgeous|genius|king|queen|hero|pog|poggers|hype|wow|respect|crazy|wild|yes|yeah|"
    r"finally|worked|brilliant|perfect|filthy|nasty|chance|talent)\b"
)
_SELF_AIMED = re.compile(
    rf"\b{_SELF} (?:\w+ ){{0,4}}(?:am|was|feel|look|is|am such|so|such|a|an|the|being)? ?"
    rf"(?:a |an |such a |such an |so |the |absolute |certified |complete |total |like a )*"
    rf"{_INSULT_WORDS}\b"
)


def _compiled(patterns: list[tuple[float, str]]) -> list[tuple[float, re.Pattern]]:
    """Each pattern matches from the start of a word (which also spares the regex engine
    trying every position inside one)."""
    return [(score, re.compile(p if p.startswith(("\\b", "^", "(?:^")) else r"\b" + p))
            for score, p in patterns]  # fmt: skip


_CATEGORIES = {
    "hate": _compiled(HATE),
    "threat": _compiled(THREAT),
    "self_harm": _compiled(SELF_HARM),
    "sexual": _compiled(SEXUAL),
    "insult": _compiled(INSULT),
    "spam": _compiled(SPAM),
}
CATEGORIES = tuple(_CATEGORIES)


def scores(plain: str) -> dict[str, float]:
    """Each category's score for ``plain`` (normalised) text."""
    found = {}
    for category, patterns in _CATEGORIES.items():
        best = 0.0
        for score, pattern in patterns:
            if score > best and pattern.search(plain):
                best = score
        found[category] = best
    if found["insult"] and found["insult"] < 1.0 and _excused(plain):
        found["insult"] = 0.0
    return found


def _excused(plain: str) -> bool:
    """Rough words that are praise, or aimed at oneself."""
    return bool(_PRAISE.search(plain)) or bool(_SELF_AIMED.search(plain))


def praised(plain: str) -> bool:
    """Whether the text praises: rough words in it are enthusiasm, not abuse."""
    return bool(_PRAISE.search(plain))


def self_aimed(plain: str) -> bool:
    """Whether its rough words are aimed at the writer ("I'm such an idiot")."""
    return bool(_SELF_AIMED.search(plain))
