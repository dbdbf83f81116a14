//! Common English words that are no person's name: of business and documents, organisations,
//! buildings, jobs, food, headings and forms (`Analysis`, `Payable`, `Lettings`, `Lecturer`,
//! `Gateau`, `Expectations`). Two or three capitalised words that end in one of them are a
//! heading, a firm, a product or a dish (`Root Cause Analysis`, `Accounts Payable`, `Senior
//! Lecturer`), not a person. Words that are also given names or surnames in common use
//! (`Price`, `Hall`, `Rose`, `Baker`, `Grace`) are left out; a unit test checks the list
//! against the given names and surnames the name model is trained with. Read at inference only.

/// Lower-cased, separated by spaces.
pub(crate) const ENGLISH_WORDS: &str = "\
    about abouts abstract abstracts academies academy account accountant accountants accounting \
    accounts acquisition acquisitions action actions adapter adapters administrator \
    administrators adviser advisers advisor advisors agencies agency agenda agendas agree \
    agreement agreements airlines airport airports airways alert alerts align alphas amazon \
    analysis analyst analysts analytics annual answers anyone app appendix appendixes apple \
    applicant applicants application applications appraisal appraisals apprentice apprentices \
    approval approvals approve approved approves apps arches arena arrange ask asks assessment \
    assessments assign assignment assignments assistance assistances assistant assistants \
    associate associates association associations assumptions attorney attorneys audit auditor \
    auditors audits authorities authority avenue avenues award awards backend background \
    backgrounds backlog backlogs baggage baggages bakeries bakery bank banking bankings bar \
    barrister barristers bars basic batteries battery beef beefs beers benefits bests betas \
    better big billing billings biscuit biscuits blame blames blog blogs blue board boards book \
    booking bookings books branches bread breads breakfast breakfasts brunch brunches budget \
    budgets build building buildings bureau bureaus burgers bus butter butters buy buyer buyers \
    buys cabin cabins cable cables cafe cafes cake cakes calendar calendars call calls camera \
    cameras campaign campaigns cancel cancelled cancels candidate candidates capital capitals \
    card cards care careers categories category cause causes center centers central centre \
    centres ceramics certificate certificates chain chains chair chairman chairmans chairperson \
    chairpersons chairs chairwoman chairwomans championship championships chapter chapters \
    charger chargers check checks cheese cheesecake cheesecakes cheeses chicken chickens chief \
    chiefs chips chocolate chocolates churn churns circulate claim claims clarify class classic \
    clean client clients clinic clinical clinics closed closing closings cloud clouds club clubs \
    coach coaches coffee coffees colleague colleagues collect college colleges commander \
    commanders comments commission commissions committee committees common competitive compile \
    completed compliance compliances component components concert concerts conclusion conclusions \
    conditions conference conferences confidential configure confirm confirmation confirmations \
    confirmed confirms connect consider constraints consultant consultants consulting consultings \
    contact contacts contents continue contract contractors contracts control controller \
    controllers controls cookie cookies coordinate coordinator coordinators copyright copyrights \
    core corner corners cost costs councils counsel counsels coupon coupons course courses \
    coverage coverages cream creams create critical cruises cup cups current curries custom \
    customer customers daily dark dashboard dashboards data database databases datas days \
    deadline deadlines decide deductible deductibles degree degrees deliverables delivered \
    deliveries delivery deluxe demo demos dental department departments dependencies deploy \
    description descriptions design designer designers designs desk desks desktop desktops \
    dessert desserts developer developers development developments device devices devops digital \
    dinner dinners diploma diplomas director directors disclaimer disclaimers discount discounts \
    discuss discussion discussions display displays dissertation dissertations division divisions \
    doctors document download downloads draft due eastern easy edition editions effect effects \
    electric electrical email employee employees end ends engineer engineering engineerings \
    engineers enterprises escalate espresso espressos estates evaluation evaluations events \
    everybody everyone exam exams exceeds exchange exchanges exclusive executive executives \
    exhibition exhibitions expectations expense expenses experience experiences expo export \
    exports expos external fairs faq faqs fare fast feature features feedback feedbacks fees \
    ferries festival festivals figure figures final finance finances financial find finding \
    findings finish first fiscal fitting fittings fix flight flights floors follow forecast \
    forecasts form forms forward forwards foundation foundations framework frameworks fraud \
    frauds free fries frontend full fund funds galleries gallery gardens gate gateau gateaus \
    generals get gift gifts global glossaries glossary go goal goals going gold goods google \
    governance governances grants great grills growth growths guest guests guide guides handover \
    handovers happy harbor harbors harbour harbours hardware hardwares have head headquarters \
    heads help helps high holdings holiday holidays home homes homework homeworks hospital \
    hospitals host hotel hotels hr impact impacts import important imports incident incidents \
    index indexes industries inform infra infrastructure infrastructures initiative initiatives \
    inn inns insights inspection inspections inspector inspectors install installation \
    installations installs institute institutes institution institutions insurance insurances \
    intern internal international interns interview interviews introducing introduction \
    introductions inventories inventory investigate investigation investigations investigator \
    investigators investments invitation invitations invite invoice invoices issue issues it item \
    items itineraries itinerary jobs join joins journal journals juice juices juniors keyboard \
    keyboards keys kickoff kickoffs kitchen kitchens laboratories laboratory labs lambs landlord \
    landlords landscape landscapes laptop laptops last latte lattes launch launches lawyers lead \
    leads league leagues learned leave leaves lecture lecturer lecturers lectures legal lessons \
    letter letters lettings level levels libraries library licence licences license licenses \
    light limited lines lite live local login logins logistics look lounge lounges lower lows \
    loyalties loyalty luggage luggages lunch lunches main majors make malls management \
    managements manager managers market marketing marketings markets maxes mechanical medias \
    medical meet meeting meetings meets member members membership memberships memorial memorials \
    menu menus merge mess methods metros microsoft migrate milestone milestones milk milks mini \
    ministries ministry minors minutes mobile mobiles model models module modules monitor \
    monitors month monthly months motion motions motors move museum museums national need needs \
    network networks never news next nobody noodles northern notes notice notices notify nurse \
    nurses nursing nursings objective objectives offboarding offboardings offer offers office \
    officer officers offices offline old onboarding onboardings online open opening openings \
    operating operational operations operator operators ops order orders organise organize \
    original outcome outcomes outlook outlooks overdue overtime overtimes overview overviews \
    package packages paid part partner partners pass passport passports pasta pastas patient \
    patients pay payable payment payments payroll payrolls pays pending pension pensions \
    performance performances permit permits pharmaceuticals pharmacies pharmacy phase phases \
    phone phones physical physician physicians pie pies pilot pilots pizza pizzas plan planner \
    planners planning plannings plans platform platforms plazas plus pm points policies policy \
    pork porks portal portals portfolio portfolios postpone practice practices prawn prawns \
    premium prepare presenter president presidents previous pricing pricings principal principals \
    print printer printers prints priorities priority privacies privacy private prize prizes pro \
    procedure procedures process processes procurement procurements product products program \
    programme programmes programs project projects properties property proposal proposals pub \
    public publish publishing publishings pubs pudding puddings pull pupil pupils purchasing \
    purchasings purpose purposes push qa qualities quality quarterly questions quick rail \
    railways rating ratings reach ready reals rebase receipt receipts receivable recommendation \
    recommendations record records recruiter recruiters reds references refund refunds regional \
    register registers registration registrations rejected relations release releases remarks \
    remember reminder reminders remove replies reply report reporting reportings reports request \
    requests requirements research researches reserve reserved reserveds reserves residence \
    residences resort resorts restaurant restaurants result results retention retentions \
    retrospective retrospectives return returns revenue revenues review reviewed reviews rewards \
    rights risk risks road roadmap roadmaps roads roast roasts role roles rooms route router \
    routers routes run safe safeties safety salad salads sale salmons sandwich sandwiches \
    satisfaction satisfactions sauce sauces save saves scan scans scarf scarfs schedule schedules \
    scheme schemes scholarship scholarships school schools scope scopes screen screens seat seats \
    second secretaries secretary section sections secure security see sell sells seminar seminars \
    send senior series servers service services session sessions set settlement settlements share \
    shares ship shipment shipments shipped ships shop shops show shows shuttle shuttles sign \
    signs silvers simple smalls smartest smarts societies society software softwares solicitor \
    solicitors solutions somebody someone soup soups southern special specialist specialists \
    sponge sponges sponsor sponsors sprint sprints square squares sre stadium stadiums staff \
    staffs stage stages stainless standard standards standup standups start starts statement \
    statements station stations status steak steaks steel steels stocks store stores strategic \
    strategies strategy streets student students studio studios subject subjects submit submits \
    submitted subscribe subscribes success suite suites summaries summary summit summits \
    supervisor supervisors supplier suppliers supplies supply support supports surgeon surgeons \
    surgeries surgery survey surveys switch sync system systems table tables tablet tablets talk \
    tart tarts task tasks tax taxes taxi taxis tbc tbd teacher teachers team teams teas technical \
    technician technicians technologies tenant tenants tennis terminal terminals terms test \
    testing testings tests thanks theater theaters theatre theatres therapist therapists thesis \
    think third ticket tickets timeline timelines title titles topic topics total tour tournament \
    tournaments tower towers track tracks train trainee trainees training trainings trains \
    transfer transfers travel travels treasurer treasurers trial trials trip trips trust trusts \
    try tuna tunas tutor tutors tweed tweeds type types ultra union unions unit units \
    universities university unpaid unsubscribe unsubscribes update updates upgrade upgrades \
    upload uploads upper urgent vacation vacations valued vat vats vendor vendors ventures verify \
    version versions video videos virtual visa visas visitor visitors volunteer volunteers \
    voucher vouchers voyage voyages want warehouse warehouses warning warnings website websites \
    week weekly welcome western wine wines wings workshop workshops write year years";

/// Currency codes, the codes of busy airports and airlines, and a booking record's element and
/// status codes (`CNY`, `USD`, `PVG`, `LAX`, `CZ`, `OSI`, `SSR`, `HK`), lower-cased: words in
/// capitals with one of them are a route, a price or a booking's element (`PVG/LAX`, `CNY/USD`,
/// `OSI MU`), no person. Codes that are a pinyin syllable or a name (`SHA`, `CAN`, `TAO`, `LIN`,
/// `MU`, `HU`) are left out. Read at inference only, on words all in capitals.
pub(crate) const CODES: &str = "\
    cny usd eur gbp jpy hkd twd mop krw sgd cad chf nzd thb myr inr rub aed sar try brl mxn \
    zar sek nok dkk pln php idr vnd rmb pek pkx pvg szx ctu tfu ckg kmg xiy hgh nkg wuh csx \
    tsn tna dlc hrb cgo xmn foc nng kwe kwl syx urc lhw tyn sjw inc khn hfe ngb wnz hkg mfm \
    tpe tsa khh nrt hnd kix itm cts fuk icn gmp pus bkk dmk kul cgk dps mnl hkt sgn dad \
    pnh rgn bom blr maa ccu dxb auh doh ruh ist jnb cpt nbo lhr lgw stn dub cdg ory \
    ams fra muc zrh gva vie cph arn osl hel bcn fco mxp ath waw prg svo dme led jfk ewr lga \
    lax sfo sea ord atl dfw iah iad dca yyz yvr yul mex gru gig scl bog syd bne akl \
    ca cz zh fm mf sc kn gs jd ua dl af lh nh jl oz sq cx ek qr tk 3u 9c \
    bic swift ssr osi rmk foid ctcm ctce ctct fqtv tkne tktl apis pnr hk kk hl uc un nn";
