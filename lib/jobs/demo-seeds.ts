/**
 * The demo dataset's seeds: instructions with reference responses written for ECD Studio
 * (writing, explaining, planning, coding and list tasks). Each response is a complete, realistic
 * answer of 60–250 words, so the rule-based pipelines have something worth evolving and repairing.
 */
export type DemoSeed = {
  category: "writing" | "explaining" | "planning" | "coding" | "lists" | "advice";
  instruction: string;
  input?: string;
  response: string;
};

export const DEMO_SEEDS: readonly DemoSeed[] = [
  // ----------------------------------------------------------------------------------------- writing
  {
    category: "writing",
    instruction: "Write a short thank-you note to a neighbor who watered my plants while I was away.",
    response:
      "Dear Maria,\n\nThank you so much for looking after my plants while I was away. I came home expecting a few casualties, and instead every pot was thriving. The basil has even doubled in size, and the fern in the hallway looks happier than it ever did under my care.\n\nI know it took time out of your busy week to stop by every other day, and I really appreciate it. It made the whole trip more relaxing to know everything at home was in good hands.\n\nI brought back a small jar of honey from the market in the town we visited, and I will drop it off this weekend. And of course, if you ever need someone to feed your cat or bring in the mail, I am happy to return the favor.\n\nWith thanks,\nSam",
  },
  {
    category: "writing",
    instruction: "Write a product description for a stainless steel water bottle.",
    response:
      "Stay refreshed wherever the day takes you with our 750 ml stainless steel water bottle. Its double-wall vacuum insulation keeps drinks cold for up to 24 hours and hot for up to 12, so your morning coffee is still warm on the afternoon commute and your water stays icy during a summer hike.\n\nThe bottle is made from food-grade 18/8 stainless steel that does not hold on to flavors or odors, and it contains no BPA. A powder-coated finish gives a secure grip and resists scratches, while the leak-proof screw cap with a carrying loop means you can toss it into a bag without worry.\n\nThe wide mouth fits standard ice cubes and makes cleaning easy, and the slim body slides into most car cup holders. Choose from six colors and carry one bottle instead of dozens of disposable ones.",
  },
  {
    category: "writing",
    instruction: "Write a brief email asking my manager for a day off next Friday.",
    response:
      "Subject: Day off request for Friday, June 14\n\nHi Priya,\n\nI would like to request a day off next Friday, June 14, for a family commitment. I have checked the team calendar and there are no deadlines or client meetings scheduled for that day.\n\nBefore I leave, I will finish the draft of the quarterly report and share it with you on Thursday afternoon. Daniel has agreed to cover any urgent support questions, and I will set an out-of-office reply pointing people to him.\n\nPlease let me know if this works for you or if you would prefer that I move anything around. I am happy to adjust my plans if something comes up.\n\nThank you,\nAlex",
  },
  {
    category: "writing",
    instruction: "Write a short story opening about a lighthouse keeper who finds a message in a bottle.",
    response:
      "The storm had blown itself out by dawn, leaving the beach below the lighthouse strewn with kelp and broken crates. Elias Morrow made his usual round at low tide, boots crunching over shells, a canvas bag over his shoulder for anything worth keeping.\n\nHe almost missed the bottle. It lay half-buried near the rocks, green glass gone cloudy with salt, its cork sealed with something that looked like candle wax. Inside, a rolled sheet of paper pressed against the curve of the glass.\n\nElias had found bottles before, mostly empty, once with a child's drawing of a whale. But this paper was yellowed and soft at the edges, and when he turned the bottle toward the light, he saw his own name written across the outside of the roll, in handwriting he had not seen in thirty years.",
  },
  {
    category: "writing",
    instruction: "Write a cover letter paragraph for a junior data analyst position.",
    response:
      "I am excited to apply for the Junior Data Analyst position at Brightline Logistics. During my final year studying economics, I built a dashboard in Python and Tableau that tracked delivery delays for a regional courier, cleaning more than 200,000 records and identifying three routes that accounted for nearly half of all late packages. The company used the findings to rebalance its schedules and cut average delays by 18 percent. That project taught me that good analysis starts with asking the right question and ends with a clear story that people can act on. I am comfortable with SQL, pandas and spreadsheet modeling, and I enjoy explaining results to colleagues who do not work with data every day. I would welcome the chance to bring that curiosity and care for detail to your operations team.",
  },
  {
    category: "writing",
    instruction: "Write a toast for my sister's wedding.",
    response:
      "Good evening, everyone. For those who do not know me, I am Jess, Emma's younger sister, which means I have spent my whole life following her around and copying everything she did.\n\nEmma taught me how to ride a bike, how to bake bread that actually rises, and how to stand up for myself. She has always been the person who shows up: for exams, for breakups, for moving days in the rain. So when she first told me about Tom, I paid attention, because Emma does not get excited easily.\n\nTom, in the last three years I have watched you make my sister laugh harder than anyone, and I have watched you show up for her the way she shows up for everyone else. That is how I knew.\n\nPlease raise your glasses to Emma and Tom: may your home always be full of laughter, good bread and people who show up. Cheers!",
  },
  {
    category: "writing",
    instruction: "Write a short poem about autumn in the city.",
    response:
      "The parks turn copper before the trees downtown,\nthen the whole grid catches, block by block,\nmaples burning quietly above the bus stops\nwhile people hurry under them with coffee cups.\n\nThe wind finds every alley and rehearses winter,\nscattering receipts and leaves in the same small storms.\nShop windows fill with scarves and paper pumpkins,\nand the evening comes earlier, a guest who knows the way.\n\nOn the fire escapes, geraniums give up their last red,\nand someone's radio drifts down from the fourth floor,\nan old song about leaving, about staying,\nas the streetlights flicker on before we are ready.\n\nI walk home slower in October,\nkicking through the gutters like a kid,\nlistening to the city breathe out summer\nand hold its breath for the first cold night.",
  },
  {
    category: "writing",
    instruction: "Write a LinkedIn post announcing that I have started a new job as a UX designer.",
    response:
      "Some personal news: this week I started a new role as a UX Designer at Northwind Health!\n\nAfter four years in graphic design, I spent the last eighteen months learning research methods, prototyping and accessibility, and working on volunteer projects with two local nonprofits. Redesigning a food bank's volunteer sign-up flow, which cut no-shows by a third, convinced me that this is the work I want to do.\n\nAt Northwind, I will be joining the patient experience team to help make appointment booking and test results easier to understand for everyone, including people who are not comfortable with technology.\n\nA huge thank-you to my mentors, Anna and Marcus, to everyone who gave feedback on my portfolio, and to my former colleagues for years of great collaboration.\n\nIf you work on healthcare products or accessibility, I would love to connect and learn from you.",
  },
  {
    category: "writing",
    instruction: "Write a polite complaint to a landlord about a broken heater.",
    response:
      "Dear Mr. Hughes,\n\nI am writing about the heater in apartment 4B, which stopped working on Monday, November 6. Since then the temperature inside has dropped to around 14 degrees Celsius at night, which is uncomfortable and, with the forecast showing frost later this week, may soon become unsafe.\n\nI reported the problem by phone on Monday and by text on Wednesday, but I have not yet received a date for a repair. I have checked the thermostat batteries and the circuit breaker, and neither seems to be the cause.\n\nCould you please arrange for a technician to visit by Friday? I work from home and can give access on any weekday between 9 a.m. and 5 p.m. If the repair will take longer, I would appreciate a portable heater in the meantime.\n\nThank you for your help. I look forward to hearing from you soon.\n\nKind regards,\nNadia Rahman",
  },
  {
    category: "writing",
    instruction: "Write a short speech to welcome new volunteers at an animal shelter.",
    response:
      "Welcome, everyone, and thank you for being here. My name is Rosa, and I have coordinated volunteers at Second Chance Shelter for six years.\n\nLast year we found homes for 412 dogs, cats and rabbits. Every single one of those adoptions depended on volunteers: people who walked anxious dogs until they learned to trust a leash, who socialized kittens, who cleaned kennels at seven in the morning, and who took photos that made families fall in love.\n\nYou do not need to be an expert. Today you will learn our safety rules, how we read animal body language, and how the daily schedule works. Ask questions, all of them, and never be afraid to say you need a break or a hand.\n\nSome days here are hard. Most are wonderful. All of them matter. We are very glad you have joined us.",
  },
  // -------------------------------------------------------------------------------------- explaining
  {
    category: "explaining",
    instruction: "Explain how vaccines train the immune system.",
    response:
      "Vaccines work by showing the immune system a harmless preview of a germ so it can prepare a defense before a real infection happens.\n\nA vaccine contains something that looks like part of the pathogen: a weakened or inactivated virus, a purified protein, or instructions such as mRNA that let your own cells make one viral protein for a short time. Immune cells recognize this foreign shape, called an antigen, and start a response. B cells produce antibodies that stick to the antigen, and T cells learn to recognize and destroy infected cells.\n\nMost importantly, some of these cells become memory cells that stay in the body for months or years. If the real pathogen later appears, memory cells recognize it immediately and launch a faster, stronger response, often stopping the infection before it causes serious illness. Booster doses remind the immune system and can increase the number and quality of these memory cells.",
  },
  {
    category: "explaining",
    instruction: "Explain the difference between weather and climate.",
    response:
      "Weather and climate describe the same things, such as temperature, rain, wind and humidity, but over very different time scales.\n\nWeather is what the atmosphere is doing right now or over the next few days in a particular place. A thunderstorm this afternoon, a cold snap next week or a sunny Saturday are all weather. It changes quickly and is hard to predict more than about ten days ahead.\n\nClimate is the long-term pattern of weather in a region, usually averaged over thirty years or more. Saying that Seattle has mild, wet winters or that the Sahara is hot and dry describes climate. It tells you what to expect, not what will happen on a specific day.\n\nA helpful way to remember it: weather is your mood today, while climate is your personality. One unusually cold winter does not disprove a warming climate, just as one bad day does not change who you are.",
  },
  {
    category: "explaining",
    instruction: "Explain what inflation is and why it matters.",
    response:
      "Inflation is the general rise in prices across an economy over time. When inflation is 3 percent a year, a basket of goods that cost 100 dollars last year costs about 103 dollars today. Put another way, each unit of money buys a little less than it used to.\n\nIt happens for several reasons: demand growing faster than the economy can produce goods, rising costs for energy or wages that businesses pass on to customers, or too much money chasing too few goods.\n\nInflation matters because it affects almost everyone. Savings held as cash lose purchasing power, people on fixed incomes can afford less, and uncertainty makes it harder for businesses to plan. On the other hand, borrowers benefit slightly because they repay debts with money worth less.\n\nMost central banks aim for low, stable inflation of around 2 percent. They raise interest rates to cool an economy when inflation is too high and lower them when growth is weak.",
  },
  {
    category: "explaining",
    instruction: "Explain how a bill becomes a law in the United States.",
    response:
      "In the United States, a bill becomes a law through a series of steps in Congress and the White House.\n\nFirst, a member of the House of Representatives or the Senate introduces the bill. It is sent to a committee, which studies it, may hold hearings and can amend it. Most bills stop here. If the committee approves the bill, it goes to the full chamber for debate and a vote.\n\nIf one chamber passes the bill, it moves to the other chamber, which goes through the same process. Both chambers must pass identical text, so differences are often settled by a conference committee and then voted on again.\n\nThe final bill goes to the President, who can sign it into law or veto it. If the President does nothing for ten days while Congress is in session, it becomes law anyway. Congress can override a veto with a two-thirds vote in both chambers.",
  },
  {
    category: "explaining",
    instruction: "Explain what a blockchain is in simple terms.",
    response:
      "A blockchain is a shared record book that many computers keep copies of at the same time, designed so that past entries are extremely hard to change.\n\nImagine a notebook where each page lists a batch of transactions. When a page is full, it is sealed with a special code, called a hash, calculated from everything written on that page plus the code of the previous page. Because each page depends on the one before it, the pages form a chain. If someone secretly edited an old page, its code would change and no longer match the next page, so everyone would notice.\n\nInstead of one company keeping the notebook, thousands of computers each hold a copy and follow agreed rules for adding new pages. This lets people who do not know or trust each other agree on a single history without a central authority, which is why blockchains are used for cryptocurrencies like Bitcoin.",
  },
  {
    category: "explaining",
    instruction: "Explain why the sky is blue.",
    response:
      "The sky looks blue because of the way sunlight interacts with the gases in our atmosphere, a process called Rayleigh scattering.\n\nSunlight appears white, but it is made of all the colors of the rainbow, each with a different wavelength. Red light has long wavelengths and blue and violet light have short ones. When sunlight enters the atmosphere, it collides with nitrogen and oxygen molecules that are much smaller than the wavelength of visible light. These molecules scatter short wavelengths far more strongly than long ones, so blue light is bounced around the sky in every direction while red light mostly passes straight through.\n\nWhen you look at any part of the sky away from the sun, you see this scattered blue light. Violet is scattered even more, but the sun emits less of it and our eyes are less sensitive to it. At sunset, light travels through more air, so the blue is scattered away and reds and oranges remain.",
  },
  {
    category: "explaining",
    instruction: "Explain what compound interest is with an example.",
    response:
      "Compound interest is interest calculated on both the money you originally invested and the interest that money has already earned. Because the interest itself starts earning interest, savings grow faster and faster over time.\n\nHere is an example. Suppose you put 1,000 dollars into an account that pays 5 percent interest once a year. After the first year you earn 50 dollars, so you have 1,050. In the second year you earn 5 percent of 1,050, which is 52.50, leaving you with 1,102.50. In the third year you earn 55.13, and so on.\n\nWith simple interest you would earn exactly 50 dollars every year. With compounding, after 30 years your 1,000 dollars grows to about 4,322 dollars instead of 2,500.\n\nThe same effect works against you with debt: unpaid credit card interest is added to the balance, and then you pay interest on the interest. Starting early and paying debts quickly both use compounding in your favor.",
  },
  {
    category: "explaining",
    instruction: "Explain how photosynthesis works.",
    response:
      "Photosynthesis is the process plants, algae and some bacteria use to turn light energy into chemical energy stored in sugar.\n\nIt takes place mainly in the leaves, inside tiny structures called chloroplasts, which contain the green pigment chlorophyll. The plant takes in carbon dioxide from the air through small pores called stomata and draws water up from the soil through its roots.\n\nThe process has two main stages. In the light-dependent reactions, chlorophyll absorbs sunlight and uses that energy to split water molecules. This releases oxygen as a by-product and produces energy carriers called ATP and NADPH. In the second stage, the Calvin cycle, the plant uses ATP and NADPH to combine carbon dioxide into glucose.\n\nThe overall result is that six molecules of carbon dioxide and six of water become one molecule of glucose and six of oxygen. The glucose fuels the plant's growth, and the oxygen is what we and most other living things breathe.",
  },
  {
    category: "explaining",
    instruction: "Explain the difference between a virus and a bacterium.",
    response:
      "Viruses and bacteria can both cause illness, but they are very different kinds of things.\n\nBacteria are single-celled living organisms. Each one has its own cell membrane, genetic material and machinery for making proteins and energy, so it can grow and reproduce on its own, usually by splitting in two. Most bacteria are harmless or even helpful, like those in our gut that help digest food, but some cause diseases such as strep throat or tuberculosis.\n\nViruses are far smaller and are not cells at all. A virus is genetic material wrapped in a protein coat, sometimes with an outer envelope. It cannot do anything on its own: it has to enter a host cell and hijack that cell's machinery to make copies of itself. Colds, flu and COVID-19 are viral.\n\nThis difference matters for treatment. Antibiotics attack structures that bacteria have, so they do not work against viruses, which are treated with antivirals, vaccines or simply time.",
  },
  {
    category: "explaining",
    instruction: "Explain what a neural network is to a high school student.",
    response:
      "A neural network is a computer program that learns to recognize patterns by looking at lots of examples, loosely inspired by how neurons in the brain connect.\n\nPicture layers of tiny calculators. The first layer receives the input, for example the brightness of every pixel in a photo. Each calculator in the next layer takes numbers from the previous layer, multiplies each one by a weight that says how important it is, adds them up and passes the result forward. After several layers, the last one gives an answer, such as how likely the photo shows a cat.\n\nAt the start, the weights are random, so the answers are nonsense. During training, the network sees thousands of labeled photos. Each time it is wrong, a method called backpropagation nudges every weight slightly in the direction that would have made the answer better. Repeat this millions of times and the network becomes good at the task, even on photos it has never seen.",
  },
  // ---------------------------------------------------------------------------------------- planning
  {
    category: "planning",
    instruction: "Plan a three-day trip to Lisbon for a first-time visitor.",
    response:
      "Day 1: Alfama and the old city. Start at the São Jorge Castle for views over the rooftops, then wander down through Alfama's narrow streets to the Sé Cathedral. Have lunch at a small tasca with grilled sardines. In the afternoon, ride the historic tram 28 toward Baixa and Praça do Comércio. End the day at a fado restaurant in Alfama.\n\nDay 2: Belém. Take the tram or train to Belém to see the Jerónimos Monastery and the Belém Tower, and do not skip the custard tarts at Pastéis de Belém. Visit the MAAT museum along the river, then return to Bairro Alto in the evening for dinner and a drink at a viewpoint such as Santa Catarina.\n\nDay 3: Sintra. Take the 40-minute train to Sintra. Book tickets for Pena Palace early, then explore Quinta da Regaleira and its initiation well. Return to Lisbon for a relaxed final dinner in Príncipe Real.\n\nTips: wear comfortable shoes for the hills and buy a Viva Viagem card for public transport.",
  },
  {
    category: "planning",
    instruction: "Create a weekly meal plan for a vegetarian family of four on a budget.",
    response:
      "Here is a simple, affordable vegetarian plan built around a few staple ingredients that get reused during the week.\n\nMonday: Black bean tacos with cabbage slaw and salsa.\nTuesday: Vegetable fried rice with eggs, frozen peas, carrots and spring onions.\nWednesday: Red lentil and tomato soup with crusty bread.\nThursday: Pasta with spinach, garlic, white beans and parmesan.\nFriday: Homemade pizza night using a simple yeast dough and whatever vegetables are left.\nSaturday: Chickpea and potato curry with rice.\nSunday: Baked potatoes topped with leftover curry or chili, cheese and a green salad.\n\nBreakfasts can rotate between oatmeal with bananas, toast with peanut butter and scrambled eggs. For lunches, cook extra at dinner and pack the leftovers.\n\nShopping tips: buy rice, lentils, oats and dried beans in bulk, choose frozen vegetables when fresh ones are expensive, and plan Friday's pizza around using up anything left in the fridge.",
  },
  {
    category: "planning",
    instruction: "Make a study plan for learning basic Spanish in three months.",
    response:
      "This plan assumes about 45 minutes a day, six days a week.\n\nMonth 1: Foundations. Learn pronunciation, greetings, numbers, days and the present tense of regular verbs plus ser, estar, tener and ir. Use a spaced-repetition app for 15 minutes daily to build a core vocabulary of about 400 common words. Spend the rest of each session on a beginner course or textbook unit.\n\nMonth 2: Building sentences. Add the near future (ir a + infinitive), reflexive verbs and the preterite for talking about the past. Start listening to a slow Spanish podcast twice a week and write five short sentences about your day each evening. Book a weekly 30-minute conversation session with a tutor or language exchange partner.\n\nMonth 3: Real conversations. Focus on speaking: two conversation sessions a week on everyday topics such as travel, food, work and family. Watch a Spanish series with Spanish subtitles. Review your weakest verbs every Sunday.\n\nBy the end, you should handle simple conversations and understand slow, clear speech.",
  },
  {
    category: "planning",
    instruction: "Outline a plan for organizing a neighborhood cleanup day.",
    response:
      "1. Pick a date and area, four to six weeks ahead. Choose a Saturday morning and a route of a few streets or a park that can be covered in three hours. Have a rain date ready.\n\n2. Get permission and support. Contact the city or parks department about permits, free trash bags and collection of full bags. Ask local businesses for donations of gloves, water and snacks.\n\n3. Recruit volunteers. Put up flyers, post in neighborhood groups and ask schools and faith groups to join. Use a simple sign-up form to estimate numbers.\n\n4. Prepare for safety. Buy first-aid supplies, grabbers and sharps containers, and plan to brief volunteers not to touch needles or broken glass by hand.\n\n5. Run the day. Set up a check-in table, split people into small teams with a leader and a map, and keep track of filled bags.\n\n6. Wrap up. Take photos, thank volunteers and sponsors publicly, and share how many bags were collected.",
  },
  {
    category: "planning",
    instruction: "Plan a birthday party for a seven-year-old who loves dinosaurs.",
    response:
      "Theme: Dino Dig Adventure, for about twelve kids, two hours on a Saturday afternoon.\n\nInvitations: Print them to look like fossil tickets, asking guests to come dressed as explorers.\n\nDecorations: Green and brown balloons, paper palm leaves, a few inflatable dinosaurs and footprint cutouts leading from the door to the party area.\n\nSchedule:\n- 2:00 Arrival and craft: kids decorate their own explorer hats.\n- 2:20 Fossil dig: hide plastic dinosaur skeletons in a sandbox or tubs of sand and give each child a brush and small shovel.\n- 2:50 Dinosaur egg hunt: hide plastic eggs with small toys inside around the yard.\n- 3:15 Snacks and cake: dino-shaped sandwiches, fruit skewers called volcano sticks and a cake with a chocolate volcano.\n- 3:40 Freeze dance with dinosaur roars and stomps.\n- 3:55 Goodbyes with goody bags containing a small dinosaur figure and stickers.\n\nHave one extra adult to help with the dig and keep wipes nearby for sandy hands.",
  },
  {
    category: "planning",
    instruction: "Create a simple workout plan for a beginner who can exercise three times a week.",
    response:
      "This plan uses three full-body sessions a week, for example Monday, Wednesday and Friday, each lasting about 40 minutes. Rest or walk on other days.\n\nWarm-up (5 minutes): brisk walking or marching in place, arm circles and leg swings.\n\nMain circuit (3 rounds, resting 1 minute between rounds):\n- Bodyweight squats, 10 to 12 reps\n- Incline push-ups against a bench or counter, 8 to 10 reps\n- Glute bridges, 12 reps\n- Dumbbell or water-bottle rows, 10 reps per arm\n- Plank, 20 to 30 seconds\n\nCardio finish (10 minutes): cycling, brisk walking or a light jog at a pace where you can still talk.\n\nCool-down (5 minutes): gentle stretches for legs, chest and back.\n\nEvery two weeks, add two reps or one more round if the workout feels easy. Focus on good form rather than speed, and stop any exercise that causes sharp pain. After two months, you can move on to a split routine or add heavier weights.",
  },
  {
    category: "planning",
    instruction: "Make a plan for moving to a new apartment in four weeks.",
    response:
      "Week 1: Prepare. Set a budget and book movers or a rental van now, since weekends fill up quickly. Give notice to your current landlord if you have not already. Start collecting boxes, tape and markers. Go through one room at a time and sell, donate or recycle things you do not want to move.\n\nWeek 2: Admin. Schedule internet installation at the new place, arrange to transfer or start electricity and gas, and update your address with your bank, employer, doctor and subscriptions. Set up mail forwarding. Start packing items you rarely use, such as books and seasonal clothes.\n\nWeek 3: Pack most things. Label every box with its room and a short list of contents. Pack an essentials box with chargers, medicine, toiletries, bedding, a few dishes and basic tools. Confirm the moving time with the movers.\n\nWeek 4: Move. Clean the old apartment, take photos for the deposit and hand back the keys. At the new place, check for damage before unloading and unpack the kitchen and bedroom first.",
  },
  {
    category: "planning",
    instruction: "Outline a one-hour agenda for a project kickoff meeting.",
    response:
      "Project kickoff agenda, 60 minutes.\n\n1. Welcome and introductions (5 minutes). Each person gives their name, role on the project and one thing they hope the project achieves.\n\n2. Why we are doing this (10 minutes). The sponsor explains the business problem, the expected benefits and how success will be measured.\n\n3. Scope and deliverables (10 minutes). The project lead walks through what is in scope, what is explicitly out of scope and the main deliverables.\n\n4. Timeline and milestones (10 minutes). Review the high-level schedule, key dates and dependencies on other teams.\n\n5. Roles and ways of working (10 minutes). Confirm who owns what, how decisions are made, which tools the team will use and the rhythm of check-ins.\n\n6. Risks and open questions (10 minutes). Brainstorm known risks and questions, and assign an owner to each.\n\n7. Next steps (5 minutes). Summarize action items with owners and due dates, and schedule the first working session.",
  },
  {
    category: "planning",
    instruction: "Plan a productive morning routine for someone who works from home.",
    response:
      "A good work-from-home morning creates a clear line between personal time and work time. Here is a routine that starts at 7:00 and has you working by 9:00.\n\n7:00 Wake up at the same time every weekday and drink a glass of water before checking your phone.\n\n7:10 Move for twenty minutes: a walk around the block, yoga or a short workout. Getting outside early helps you feel awake and sets your body clock.\n\n7:30 Shower and get dressed in clothes you would not sleep in. It sounds small, but it signals that the workday is coming.\n\n7:50 Eat a real breakfast away from your desk, ideally with some protein.\n\n8:20 Tidy your workspace and spend ten minutes planning the day: write down your top three priorities and block time for the most important one.\n\n8:40 Do a short personal task, such as reading or tidying the kitchen.\n\n9:00 Start with your most important task before opening email or chat.",
  },
  // ------------------------------------------------------------------------------------------ coding
  {
    category: "coding",
    instruction: "Write a Python function that checks whether a string is a palindrome.",
    response:
      'Here is a function that ignores case, spaces and punctuation, so phrases like "A man, a plan, a canal: Panama" count as palindromes:\n\n```python\ndef is_palindrome(text: str) -> bool:\n    """Return True if text reads the same forwards and backwards."""\n    cleaned = [ch.lower() for ch in text if ch.isalnum()]\n    return cleaned == cleaned[::-1]\n```\n\nHow it works: the list comprehension keeps only letters and digits and converts them to lowercase. Then it compares the cleaned list with its reverse, created with the slice `[::-1]`.\n\nExamples:\n\n```python\nprint(is_palindrome("racecar"))                         # True\nprint(is_palindrome("A man, a plan, a canal: Panama"))  # True\nprint(is_palindrome("hello"))                           # False\n```\n\nThis runs in linear time and uses linear extra memory. If you need a strict check that treats spaces and capital letters as significant, simply use `return text == text[::-1]`.',
  },
  {
    category: "coding",
    instruction: "Explain the difference between a list and a tuple in Python.",
    response:
      'Lists and tuples both store ordered sequences of items, but they differ in mutability and typical use.\n\nA list is mutable: you can add, remove or change items after creating it. Lists are written with square brackets, for example `colors = ["red", "green"]`, and support methods such as `append`, `remove` and `sort`.\n\nA tuple is immutable: once created, its items cannot be changed. Tuples use parentheses, as in `point = (3, 4)`. Because they cannot change, tuples can be used as dictionary keys or set members, while lists cannot.\n\nIn practice, use a list for a collection of similar items that may grow or change, like a list of tasks. Use a tuple for a fixed group of related values where the position has meaning, like coordinates, an RGB color or a database row. Functions often return tuples to give back several values at once.\n\nTuples are also slightly smaller in memory and a little faster to create, though that rarely decides the choice.',
  },
  {
    category: "coding",
    instruction: "Write a SQL query that finds the top five customers by total order value.",
    response:
      "Assuming a `customers` table and an `orders` table where each order has a `customer_id` and a `total_amount`, this query returns the five customers who have spent the most:\n\n```sql\nSELECT c.customer_id,\n       c.name,\n       SUM(o.total_amount) AS total_spent,\n       COUNT(o.order_id)   AS order_count\nFROM customers AS c\nJOIN orders AS o ON o.customer_id = c.customer_id\nWHERE o.status <> 'cancelled'\nGROUP BY c.customer_id, c.name\nORDER BY total_spent DESC\nLIMIT 5;\n```\n\nThe join connects each order to its customer, `GROUP BY` collects all orders per customer and `SUM` adds up their value. Cancelled orders are excluded so they do not inflate the totals. Sorting by `total_spent` in descending order and limiting to five rows gives the top customers.\n\nIf two customers tie for fifth place, `LIMIT 5` picks one arbitrarily. In PostgreSQL you can use `FETCH FIRST 5 ROWS WITH TIES` instead to include everyone who ties.",
  },
  {
    category: "coding",
    instruction: "Write a JavaScript function that removes duplicate values from an array.",
    response:
      'The simplest modern approach uses a `Set`, which only keeps unique values:\n\n```javascript\nfunction unique(values) {\n  return [...new Set(values)];\n}\n\nunique([3, 1, 3, 2, 1]); // [3, 1, 2]\n```\n\nThe `Set` keeps the first occurrence of each value in its original order, and the spread syntax turns it back into an array. It compares values with the same rules as `===`, except that `NaN` is treated as equal to itself.\n\nFor arrays of objects, a `Set` will not help, because two objects with the same contents are still different references. In that case, deduplicate by a key:\n\n```javascript\nfunction uniqueBy(items, key) {\n  const seen = new Set();\n  return items.filter((item) => {\n    const k = item[key];\n    if (seen.has(k)) return false;\n    seen.add(k);\n    return true;\n  });\n}\n\nuniqueBy([{ id: 1 }, { id: 2 }, { id: 1 }], "id"); // [{ id: 1 }, { id: 2 }]\n```\n\nBoth versions run in linear time.',
  },
  {
    category: "coding",
    instruction: "Explain what a REST API is.",
    response:
      "A REST API is a way for programs to communicate over the web using standard HTTP requests, following a set of design principles called Representational State Transfer.\n\nIn a REST API, everything is treated as a resource, such as a user, an order or a product, and each resource has its own URL, for example `/users/42`. Clients act on resources with standard HTTP methods: GET reads data, POST creates something new, PUT or PATCH updates it, and DELETE removes it. The server answers with a status code, such as 200 for success or 404 when something is not found, and usually with data in JSON format.\n\nREST APIs are stateless: each request contains everything the server needs to handle it, so the server does not remember previous requests. This makes them easier to scale and cache.\n\nFor example, a weather app might send `GET /forecast?city=Oslo` and receive a JSON object with temperatures and conditions for the coming days.",
  },
  {
    category: "coding",
    instruction: "Write a bash command that counts the lines in all .txt files in a folder.",
    response:
      "To see the line count of each `.txt` file in the current folder plus a grand total, use `wc`:\n\n```bash\nwc -l *.txt\n```\n\nThe last line of the output shows the total. If you only want the total number, pipe everything through `cat` first:\n\n```bash\ncat *.txt | wc -l\n```\n\nTo include `.txt` files in subfolders as well, combine `find` with `wc`:\n\n```bash\nfind . -type f -name '*.txt' -exec cat {} + | wc -l\n```\n\nHere `find` searches recursively for regular files ending in `.txt`, `-exec cat {} +` passes them to `cat` in batches, and `wc -l` counts the lines of the combined output. Using `-exec ... +` instead of a plain loop handles file names with spaces correctly and runs faster on large folders.\n\nNote that `wc -l` counts newline characters, so a final line without a trailing newline is not counted.",
  },
  {
    category: "coding",
    instruction: "Explain what Git branches are and why teams use them.",
    response:
      "A Git branch is an independent line of development within a repository. Technically it is just a movable pointer to a commit, which makes creating and switching branches fast and cheap.\n\nWhen you create a branch, for example `git switch -c add-login-page`, your new commits go onto that branch while the main branch stays unchanged. You can switch back at any time, and other people can work on their own branches in parallel without stepping on each other.\n\nTeams use branches for several reasons. They isolate work in progress, so half-finished features never break the main code. They make code review easier, because a branch can be opened as a pull request showing exactly what changed. They let people experiment freely: if an idea does not work, the branch is simply deleted. And they support release management, for example keeping a release branch stable while new features continue on main.\n\nWhen the work is ready and reviewed, the branch is merged back, and Git combines the histories.",
  },
  {
    category: "coding",
    instruction: "Write a Python script that reads a CSV file and prints the average of a numeric column.",
    response:
      'This script uses only the standard library. Pass the file name and the column name on the command line:\n\n```python\nimport csv\nimport sys\n\ndef column_average(path: str, column: str) -> float:\n    total = 0.0\n    count = 0\n    with open(path, newline="", encoding="utf-8") as f:\n        reader = csv.DictReader(f)\n        if column not in (reader.fieldnames or []):\n            raise SystemExit(f"Column {column!r} not found")\n        for row in reader:\n            value = row[column].strip()\n            if not value:\n                continue  # skip empty cells\n            total += float(value)\n            count += 1\n    if count == 0:\n        raise SystemExit("No numeric values found")\n    return total / count\n\nif __name__ == "__main__":\n    path, column = sys.argv[1], sys.argv[2]\n    print(f"Average {column}: {column_average(path, column):.2f}")\n```\n\nRun it as `python average.py sales.csv amount`. `DictReader` maps each row to the header names, empty cells are skipped, and the script stops with a clear message if the column is missing.',
  },
  {
    category: "coding",
    instruction: "Explain the difference between == and === in JavaScript.",
    response:
      'Both operators compare two values, but they differ in how they treat types.\n\nThe strict equality operator `===` returns true only if both values have the same type and the same value. No conversion happens, so `5 === 5` is true, while `5 === "5"` is false because one is a number and the other a string.\n\nThe loose equality operator `==` first tries to convert the values to a common type and then compares them. That leads to results such as `5 == "5"` being true, `0 == false` being true, `"" == 0` being true and `null == undefined` being true. These conversion rules are complicated and a frequent source of bugs.\n\nFor objects and arrays, both operators compare references, not contents: `[1] === [1]` is false because they are two different arrays.\n\nThe usual advice is to always use `===` and `!==`. The one common exception is `value == null`, which conveniently checks for both null and undefined at once.',
  },
  {
    category: "coding",
    instruction: "Write a function in any language that returns the nth Fibonacci number efficiently.",
    response:
      'An iterative solution avoids the exponential cost of naive recursion. Here it is in Python:\n\n```python\ndef fibonacci(n: int) -> int:\n    """Return the nth Fibonacci number, with fibonacci(0) == 0 and fibonacci(1) == 1."""\n    if n < 0:\n        raise ValueError("n must be non-negative")\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n```\n\nThe loop keeps only the last two numbers, so it runs in linear time and constant memory. For example, `fibonacci(10)` returns 55 and `fibonacci(50)` returns 12586269025 instantly, while the naive recursive version would make billions of calls.\n\nPython integers grow without overflow, so very large values of n work too. If you need extremely large n, a fast-doubling method computes the result in logarithmic time using the identities F(2k) = F(k)(2F(k+1) - F(k)) and F(2k+1) = F(k)^2 + F(k+1)^2.',
  },
  // ------------------------------------------------------------------------------------------- lists
  {
    category: "lists",
    instruction: "List ten tips for improving sleep quality.",
    response:
      "1. Go to bed and wake up at the same time every day, including weekends.\n2. Keep your bedroom cool, dark and quiet; blackout curtains and earplugs help.\n3. Stop using phones, tablets and laptops about an hour before bed, or at least dim the screens.\n4. Avoid caffeine after early afternoon, since it can stay in your system for six hours or more.\n5. Limit alcohol in the evening; it may make you drowsy but disrupts deeper sleep later in the night.\n6. Get daylight in the morning, which helps set your internal clock.\n7. Exercise regularly, but finish intense workouts a few hours before bedtime.\n8. Build a relaxing wind-down routine, such as reading, stretching or a warm shower.\n9. Use your bed only for sleep and intimacy, so your brain associates it with rest.\n10. If you cannot fall asleep after about twenty minutes, get up and do something calm until you feel sleepy, then return to bed.",
  },
  {
    category: "lists",
    instruction: "List the main causes of the First World War.",
    response:
      "Historians usually group the causes of the First World War into long-term tensions and an immediate trigger.\n\n1. Militarism: the great powers built up large armies and navies, and the naval race between Britain and Germany deepened mistrust. Detailed mobilization plans made quick escalation likely.\n2. Alliances: Europe was divided into the Triple Entente of France, Russia and Britain and the Triple Alliance of Germany, Austria-Hungary and Italy. A local conflict could pull in every partner.\n3. Imperialism: competition for colonies and influence, especially in Africa and the Balkans, caused repeated crises.\n4. Nationalism: pride and rivalry among the great powers, and the desire of Slavic peoples in the Balkans for independence from Austria-Hungary, created explosive tensions.\n5. The immediate trigger: on June 28, 1914, Archduke Franz Ferdinand was assassinated in Sarajevo by a Bosnian Serb nationalist. Austria-Hungary's ultimatum to Serbia set off the chain of alliances, and within weeks most of Europe was at war.",
  },
  {
    category: "lists",
    instruction: "List some good habits for staying focused while studying.",
    response:
      "- Set a clear goal for each session, such as finishing ten practice problems, rather than just studying for two hours.\n- Work in focused blocks, for example 25 to 50 minutes, followed by a short break away from your desk.\n- Put your phone in another room or use an app that blocks distracting websites during study blocks.\n- Study in the same quiet place when you can, so your brain links it with concentration.\n- Start with the hardest or most important task while your energy is highest.\n- Test yourself with flashcards or practice questions instead of only rereading notes.\n- Keep water and a small snack nearby so you do not need to get up often.\n- Review what you covered at the end of each session and write down what to do next time.\n- Get enough sleep; focus drops sharply after a short night.\n- Reward yourself after completing a goal, with something like a walk or an episode of a favorite show.",
  },
  {
    category: "lists",
    instruction: "Give me a packing list for a weekend camping trip.",
    response:
      "Shelter and sleep:\n- Tent with poles, stakes and rain fly\n- Sleeping bag suited to the night temperatures\n- Sleeping pad and a small pillow\n\nCooking and food:\n- Camp stove, fuel and a lighter or matches\n- Pot, pan, utensils, plates and mugs\n- Cooler with ice, plus easy meals and snacks for two days\n- Water bottles and a filter or enough drinking water\n- Biodegradable soap, sponge and trash bags\n\nClothing:\n- Layers: base layer, fleece and a waterproof jacket\n- Hiking boots or sturdy shoes and camp sandals\n- Warm hat and extra socks\n\nSafety and tools:\n- First-aid kit and any personal medication\n- Headlamp or flashlight with spare batteries\n- Map, compass or charged phone with offline maps\n- Multi-tool or knife\n- Sunscreen, insect repellent and sunglasses\n\nComfort extras:\n- Camp chairs\n- Toilet paper and a small trowel\n- A deck of cards or a book for the evening",
  },
  {
    category: "lists",
    instruction: "List five classic novels everyone should read and say why.",
    response:
      "1. Pride and Prejudice by Jane Austen. A witty story of love and misjudgment that is also a sharp look at class, money and marriage in early nineteenth-century England.\n\n2. Moby-Dick by Herman Melville. Ishmael's account of Captain Ahab's obsessive hunt for a white whale is an adventure, a philosophical meditation and a portrait of life at sea, all at once.\n\n3. Crime and Punishment by Fyodor Dostoevsky. A gripping psychological novel about a young man who commits a murder and then struggles with guilt, pride and the possibility of redemption.\n\n4. To the Lighthouse by Virginia Woolf. Through shifting inner voices of one family over ten years, Woolf shows how time, memory and loss shape ordinary lives, and changed what a novel could do.\n\n5. Things Fall Apart by Chinua Achebe. The story of Okonkwo, a proud Igbo leader, shows a rich society before and during colonial rule and gave African literature a powerful voice of its own.",
  },
  {
    category: "lists",
    instruction: "List practical ways to reduce household energy use.",
    response:
      "1. Switch to LED bulbs, which use about 75 percent less electricity than incandescent ones and last much longer.\n2. Lower the thermostat by one or two degrees in winter and raise it in summer; each degree can save several percent on heating or cooling.\n3. Seal drafts around windows and doors with weatherstripping and caulk.\n4. Wash clothes in cold water and run the washing machine and dishwasher only with full loads.\n5. Air-dry laundry when you can instead of using the dryer.\n6. Unplug chargers and turn off power strips for electronics that draw standby power.\n7. Set your water heater to around 50 degrees Celsius.\n8. Use a programmable or smart thermostat to avoid heating an empty home.\n9. Keep the fridge and freezer well stocked but not overfilled, and check that door seals close tightly.\n10. When replacing appliances, choose energy-efficient models, and consider adding insulation to the attic, where much heat is lost.",
  },
  {
    category: "lists",
    instruction: "List the planets of the solar system with one interesting fact about each.",
    response:
      "1. Mercury: the smallest planet and closest to the Sun, yet it is not the hottest, because it has almost no atmosphere to trap heat.\n2. Venus: the hottest planet, with surface temperatures around 465 degrees Celsius under a thick carbon dioxide atmosphere. It also spins backwards compared with most planets.\n3. Earth: the only known planet with liquid water on its surface and life.\n4. Mars: home to Olympus Mons, the tallest volcano in the solar system, about two and a half times the height of Mount Everest.\n5. Jupiter: so large that all the other planets could fit inside it, and its Great Red Spot is a storm bigger than Earth that has lasted for centuries.\n6. Saturn: its density is so low that it would float in a big enough bathtub of water.\n7. Uranus: it rotates on its side, probably because of a giant collision long ago.\n8. Neptune: it has the fastest winds in the solar system, reaching more than 2,000 kilometers per hour.",
  },
  {
    category: "lists",
    instruction: "List some questions to ask at the end of a job interview.",
    response:
      "Asking thoughtful questions shows interest and helps you decide whether the job is right for you. Here are some good options:\n\n- What does a typical day or week look like in this role?\n- What would success look like in the first three to six months?\n- What are the biggest challenges the team is facing right now?\n- How does the team work together, and who would I work with most closely?\n- How is performance feedback given, and how often?\n- What opportunities are there for learning and growth in this position?\n- What do you enjoy most about working here?\n- How has this role changed over time, and why is it open now?\n- Is there anything about my background that makes you hesitant, which I could clarify?\n- What are the next steps in the hiring process, and when can I expect to hear back?\n\nPick three or four that fit the conversation, and avoid asking about salary or vacation in a first interview unless the interviewer raises it.",
  },
  {
    category: "lists",
    instruction: "List the steps to change a flat tire.",
    response:
      "1. Pull over safely on flat, solid ground well away from traffic, switch on your hazard lights and apply the parking brake.\n2. Get out the spare tire, the jack and the lug wrench, usually found under the trunk floor. Check the owner's manual for the correct jack points.\n3. Loosen the lug nuts about half a turn each, turning counterclockwise, while the wheel is still on the ground.\n4. Place the jack under the jack point nearest the flat tire and raise the car until the tire is about 15 centimeters off the ground.\n5. Remove the lug nuts completely and pull the flat tire off.\n6. Lift the spare onto the wheel studs and hand-tighten the lug nuts.\n7. Lower the car until the tire touches the ground, then tighten the nuts firmly in a star pattern.\n8. Lower the car fully, remove the jack and check the nuts again.\n9. Check the spare's pressure and, if it is a small temporary spare, drive slowly to a repair shop.",
  },
  {
    category: "lists",
    instruction: "List the benefits of learning a second language.",
    response:
      "- Better career opportunities: many employers value bilingual staff, especially in international business, tourism, healthcare and public services, and some roles pay more for language skills.\n- Easier and richer travel: you can read signs, ask for directions and talk with people rather than relying only on tourist spots.\n- A deeper understanding of other cultures, including their humor, literature, films and ways of thinking.\n- Cognitive benefits: studies link bilingualism with better attention control and multitasking, and possibly a later onset of dementia symptoms.\n- A better grasp of your own language, because learning another one makes you notice grammar and vocabulary you once took for granted.\n- Stronger memory, since language learning constantly exercises recall of words and rules.\n- New friendships and connections in your community and online.\n- More confidence: getting through a conversation in another language is a real achievement that carries over into other challenges.\n- It makes learning a third language easier.",
  },
  // ------------------------------------------------------------------------------------------ advice
  {
    category: "advice",
    instruction: "How should I prepare for a job interview?",
    response:
      'Good preparation makes you calmer and more convincing. Start by researching the company: read its website, recent news and the job description, and note the skills they emphasize.\n\nNext, match your experience to those skills. Prepare four or five short stories from past work, studies or volunteering that show what you can do, using the STAR format: the Situation, the Task, the Action you took and the Result. These stories can answer most behavioral questions, such as describing a conflict or a mistake.\n\nPractice common questions out loud, including "Tell me about yourself" and "Why do you want this job?". Keep answers to about two minutes. Prepare three or four questions to ask the interviewer.\n\nThe day before, plan your route or test your video setup, choose your outfit and print or save a copy of your resume. On the day, arrive ten minutes early, listen carefully, and send a short thank-you email afterward.',
  },
  {
    category: "advice",
    instruction: "Give advice to someone who wants to start running.",
    response:
      "Start slower than you think you need to. Most new runners get injured or discouraged because they do too much too soon.\n\nA walk-run approach works well. In the first week, alternate one minute of easy running with two minutes of walking for about twenty minutes, three times a week. Each week, increase the running intervals a little, until after eight to ten weeks you can run for thirty minutes without stopping.\n\nRun at a conversational pace: you should be able to speak in full sentences. Speed will come later on its own.\n\nInvest in a pair of comfortable running shoes, ideally fitted at a running store, because the right shoes reduce the risk of injury.\n\nTake rest days seriously. Your muscles, tendons and bones adapt during recovery. Some soreness is normal, but sharp or lasting pain is a signal to stop and rest.\n\nFinally, make it enjoyable: find a route you like, run with a friend, or sign up for a local 5 km race as a goal.",
  },
  {
    category: "advice",
    instruction: "How can I save money on groceries?",
    response:
      "Start with a plan. Look at what you already have, plan meals for the week around it, and write a shopping list. Sticking to the list is the single biggest way to avoid impulse buys.\n\nCompare unit prices, shown on shelf labels as price per kilogram or per liter, rather than package prices. Store brands are often made in the same factories as name brands and cost 20 to 30 percent less.\n\nBuild meals around cheap staples such as rice, pasta, oats, beans, lentils, eggs and seasonal vegetables, and use meat as a smaller part of the dish. Frozen fruit and vegetables are nutritious, cheap and do not spoil.\n\nBuy in bulk only what you will actually use before it goes bad, and cook larger batches so leftovers become lunches.\n\nCheck weekly flyers or store apps for discounts, and shop later in the day for reduced-price bakery and produce items. Finally, avoid shopping hungry: it reliably leads to buying more than you planned.",
  },
  {
    category: "advice",
    instruction: "What should I consider when adopting a dog?",
    response:
      "Adopting a dog is a commitment of ten to fifteen years, so think through a few practical questions first.\n\nTime: dogs need daily walks, play, training and company. If you work long hours away from home, consider a dog walker, doggy daycare or an older, calmer dog.\n\nSpace and lifestyle: a high-energy breed like a border collie will be frustrated in a small apartment with a busy owner, while many senior dogs and small breeds adapt well. Check your lease, since some landlords restrict pets.\n\nCost: budget for food, vaccinations, yearly vet checkups, flea and worm treatments, insurance or an emergency fund, grooming, and training classes.\n\nPersonality over looks: ask the shelter about each dog's temperament, energy level and how it behaves with children, other dogs and cats. Spend time with the dog before deciding.\n\nHousehold: make sure everyone at home agrees, and check for allergies.\n\nFinally, plan for the first weeks. A new dog needs patience, a routine and time to settle in.",
  },
  {
    category: "advice",
    instruction: "How do I give constructive feedback to a coworker?",
    response:
      'Constructive feedback is specific, timely and focused on behavior rather than personality.\n\nFirst, choose the right moment. Give feedback privately, soon after the situation, and when neither of you is rushed or upset.\n\nDescribe what happened concretely. Instead of saying "You are disorganized," say "In the last two client meetings, the slides arrived after the meeting started." Then explain the impact: "The client had to wait, and we looked unprepared."\n\nAsk for their view. There may be reasons you do not know about, such as unclear deadlines or competing priorities. Listening turns the conversation into problem-solving rather than criticism.\n\nAgree on a next step together, for example sharing slides the day before each meeting, and offer help if it makes sense.\n\nKeep your tone calm and respectful, and avoid piling up many issues at once. Finally, do not only speak up when something goes wrong: recognizing good work regularly makes critical feedback easier to hear.',
  },
  {
    category: "advice",
    instruction: "How can I become a better public speaker?",
    response:
      'Public speaking is a skill, and it improves with deliberate practice.\n\nPrepare around one clear message. Before writing slides, finish the sentence "I want the audience to leave knowing that..." and cut anything that does not support it. Three main points are usually enough.\n\nPractice out loud, not just in your head. Rehearse the full talk several times, ideally standing up, and time it. Record yourself on video once: you will quickly notice filler words, rushed sections or distracting habits.\n\nKnow your opening and closing by heart. A confident start calms your nerves, and a strong ending makes your message stick.\n\nSlow down and pause. Nervous speakers rush; a short pause after an important point gives the audience time to absorb it and makes you look composed.\n\nMake eye contact with individuals, one at a time, rather than scanning the room.\n\nFinally, seek more opportunities to speak, such as team meetings or a local Toastmasters club. Nerves never vanish completely, but they become manageable.',
  },
  {
    category: "advice",
    instruction: "What are good ways to manage stress during exam season?",
    response:
      "Exam stress is normal, and a few habits can keep it manageable.\n\nMake a realistic schedule. Break each subject into small topics and spread them over the days you have left, leaving time for review and rest. Seeing a plan reduces the feeling that everything is urgent.\n\nStudy actively in focused blocks, with short breaks in between. Practice questions and past papers build confidence far better than rereading.\n\nProtect your sleep. Pulling all-nighters hurts memory and concentration; seven to nine hours makes your study time more effective.\n\nMove every day, even if it is only a twenty-minute walk. Exercise is one of the most reliable ways to lower stress.\n\nEat regular meals and do not rely on energy drinks and caffeine, which can increase anxiety.\n\nStay connected: study with a friend, talk to family, or reach out to a teacher or counselor if worry becomes overwhelming.\n\nOn exam day, arrive early, breathe slowly, and start with a question you feel confident about.",
  },
  {
    category: "advice",
    instruction: "How do I start investing with a small amount of money?",
    response:
      "You can start investing with very little, as long as you cover the basics first.\n\nBefore investing, pay off high-interest debt such as credit cards, and build an emergency fund of at least three months of essential expenses in a savings account. Investing money you might need next month forces you to sell at a bad time.\n\nNext, use any retirement plan your employer offers, especially if it matches contributions; that match is an instant return.\n\nFor the investing itself, low-cost index funds or ETFs are a good fit for beginners. One fund that tracks a broad market index gives you a small piece of hundreds or thousands of companies, spreading the risk. Many brokers now allow buying fractional shares with no minimum and no commission.\n\nSet up an automatic monthly transfer, even of 50 dollars. Investing regularly matters more than timing the market.\n\nKeep fees low, think in decades rather than months, and avoid checking prices daily or chasing tips about individual stocks.",
  },
  {
    category: "advice",
    instruction: "Summarize the main ideas of the book Atomic Habits.",
    response:
      "Atomic Habits by James Clear argues that small changes, repeated consistently, compound into remarkable results over time. Improving by just one percent a day adds up enormously over a year.\n\nClear says we should focus on systems rather than goals. Winners and losers often share the same goals; what differs is the daily process. He also suggests building identity-based habits: instead of aiming to run a marathon, aim to become a runner, and let each small action be a vote for that identity.\n\nThe core of the book is the four laws of behavior change. To build a good habit, make it obvious, make it attractive, make it easy and make it satisfying. To break a bad habit, invert them: make it invisible, unattractive, difficult and unsatisfying.\n\nPractical techniques include habit stacking, where a new habit follows an existing one, designing your environment so good choices are the default, the two-minute rule for starting small, and tracking habits so you never miss twice.",
  },
  {
    category: "explaining",
    instruction: "Explain how to calculate the area of a circle.",
    response:
      "The area of a circle is found with the formula A = πr², where r is the radius, the distance from the center of the circle to its edge, and π (pi) is a constant approximately equal to 3.14159.\n\nTo calculate the area, follow three steps. First, find the radius. If you are given the diameter, the distance straight across the circle through its center, divide it by two. Second, square the radius by multiplying it by itself. Third, multiply the result by π.\n\nFor example, a circle with a radius of 5 centimeters has an area of π × 5 × 5 = 25π, which is about 78.54 square centimeters. A pizza with a diameter of 30 centimeters has a radius of 15, so its area is π × 225, about 706.86 square centimeters.\n\nRemember that area is measured in square units. Also notice that doubling the radius makes the area four times larger, which is why a large pizza is often a better deal than two small ones.",
  },
  {
    category: "writing",
    instruction: "Write a short restaurant review of a neighborhood Italian trattoria.",
    input: "Restaurant: Nonna Lucia. Visited on a Tuesday evening with two friends.",
    response:
      "Nonna Lucia is the kind of small trattoria every neighborhood hopes for. We visited on a Tuesday evening, and even midweek the twelve tables were full, so booking ahead is wise.\n\nWe started with burrata served over roasted cherry tomatoes and a generous swirl of basil oil, which was creamy, bright and gone in minutes. The star of the night was the tagliatelle al ragù: fresh, silky pasta with a slow-cooked sauce that tasted like it had been simmering all afternoon. The cacio e pepe was a touch too salty, but still well balanced and properly glossy. For dessert, the tiramisu was light rather than soggy, with a strong espresso kick.\n\nService was warm and unhurried. Our waiter recommended an affordable Montepulciano that suited everything we ordered.\n\nWith three courses and wine for three costing around 150 dollars, Nonna Lucia offers honest, carefully made food at fair prices. We will be back for the ragù.",
  },
  {
    category: "coding",
    instruction: "Fix the bug in this Python function and explain what was wrong.",
    input:
      "def average(numbers):\n    total = 0\n    for n in numbers:\n        total += n\n    return total / len(numbers) - 1",
    response:
      'The bug is in the return statement. Because of operator precedence, `total / len(numbers) - 1` divides first and then subtracts 1, so the function returns the real average minus one. For `[2, 4, 6]` it returns 3.0 instead of 4.0.\n\nIt looks as if the `- 1` was meant to adjust the count, but the average simply divides by the number of items, with no adjustment at all. There is also a second problem: an empty list causes a `ZeroDivisionError`.\n\nHere is the corrected version:\n\n```python\ndef average(numbers):\n    if not numbers:\n        raise ValueError("average() needs at least one number")\n    total = 0\n    for n in numbers:\n        total += n\n    return total / len(numbers)\n```\n\nYou could also write the body as `return sum(numbers) / len(numbers)`, which is shorter and equally clear. If you are computing a sample variance, that is where dividing by `n - 1` belongs, not in the average.',
  },
  {
    category: "explaining",
    instruction: "Summarize this paragraph in two sentences.",
    input:
      "Coral reefs cover less than one percent of the ocean floor but support about a quarter of all marine species. They protect coastlines from storms and erosion, provide jobs through fishing and tourism, and are a source of new medicines. However, rising sea temperatures cause coral bleaching, in which corals expel the algae that feed them and often die. Pollution, overfishing and ocean acidification add further pressure, and scientists estimate that half of the world's reefs have been lost since the 1950s.",
    response:
      "Coral reefs occupy under one percent of the ocean floor yet sustain roughly a quarter of marine species, while also shielding coastlines, supporting fishing and tourism jobs, and providing sources of new medicines. Warming seas that trigger coral bleaching, together with pollution, overfishing and acidification, have already destroyed an estimated half of the world's reefs since the 1950s.\n\nIn short, reefs are small in area but enormous in value, and human pressures are threatening them faster than they can recover. Protecting them means tackling both local problems, such as runoff and destructive fishing, and the global problem of rising ocean temperatures.",
  },
];
