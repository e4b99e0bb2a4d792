# Fixed-budget ECDF, dimension 20: share of (problem, run) pairs of 24 problems whose error f - f_opt is <= e after fractions of the budget (errors <= 1e-8 drawn at -8)
# Written by optbench report. Re-render in this folder with: gnuplot fixed_budget_ecdf_dim20.gp
reset
do for [ext in "png svg"] {
    if (ext eq "png") {
        set terminal pngcairo noenhanced size 1300,474 font "Sans,11"
    } else {
        set terminal svg noenhanced size 1300,474 dynamic font "Sans,11" background rgb "white"
    }
    set output "fixed_budget_ecdf_dim20.".ext
    set multiplot title "Fixed-budget ECDF, dimension 20: share of (problem, run) pairs of 24 problems whose error f - f_opt is <= e after fractions of the budget (errors <= 1e-8 drawn at -8)"
    set yrange [0:1]
    set grid
    set ylabel "fraction with error <= e"
    unset key
    set lmargin at screen 0.06153846153846154
    set rmargin at screen 0.3141025641025641
    set tmargin at screen 0.8312236286919832
    set bmargin at screen 0.2616033755274262
    set title "after 1 % of the budget"
    set xlabel "log10(e)"
    unset logscale x
    set format x "% g"
    set xrange [-8:9]
    plot "fixed_budget_ecdf_dim20.dat" index 0 using 1:2 with steps lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 0 every 13::1 using 1:2 with points lc rgb "#0072B2" dt 1 pt 7 notitle, "fixed_budget_ecdf_dim20.dat" index 1 using 1:2 with steps lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 1 every 15::1 using 1:2 with points lc rgb "#D55E00" dt 2 pt 5 notitle, "fixed_budget_ecdf_dim20.dat" index 2 using 1:2 with steps lw 2 lc rgb "#009E73" dt 3 notitle, "" index 2 every 14::1 using 1:2 with points lc rgb "#009E73" dt 3 pt 9 notitle, "fixed_budget_ecdf_dim20.dat" index 3 using 1:2 with steps lw 2 lc rgb "#CC79A7" dt 4 notitle, "" index 3 every 15::1 using 1:2 with points lc rgb "#CC79A7" dt 4 pt 11 notitle
    set lmargin at screen 0.3948717948717948
    set rmargin at screen 0.6474358974358974
    set tmargin at screen 0.8312236286919832
    set bmargin at screen 0.2616033755274262
    set title "after 10 % of the budget"
    set xlabel "log10(e)"
    unset logscale x
    set format x "% g"
    set xrange [-8:9]
    plot "fixed_budget_ecdf_dim20.dat" index 4 using 1:2 with steps lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 4 every 13::1 using 1:2 with points lc rgb "#0072B2" dt 1 pt 7 notitle, "fixed_budget_ecdf_dim20.dat" index 5 using 1:2 with steps lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 5 every 10::1 using 1:2 with points lc rgb "#D55E00" dt 2 pt 5 notitle, "fixed_budget_ecdf_dim20.dat" index 6 using 1:2 with steps lw 2 lc rgb "#009E73" dt 3 notitle, "" index 6 every 14::1 using 1:2 with points lc rgb "#009E73" dt 3 pt 9 notitle, "fixed_budget_ecdf_dim20.dat" index 7 using 1:2 with steps lw 2 lc rgb "#CC79A7" dt 4 notitle, "" index 7 every 15::1 using 1:2 with points lc rgb "#CC79A7" dt 4 pt 11 notitle
    set lmargin at screen 0.7282051282051282
    set rmargin at screen 0.9807692307692307
    set tmargin at screen 0.8312236286919832
    set bmargin at screen 0.2616033755274262
    set title "after 100 % of the budget"
    set xlabel "log10(e)"
    unset logscale x
    set format x "% g"
    set xrange [-8:9]
    plot "fixed_budget_ecdf_dim20.dat" index 8 using 1:2 with steps lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 8 every 12::1 using 1:2 with points lc rgb "#0072B2" dt 1 pt 7 notitle, "fixed_budget_ecdf_dim20.dat" index 9 using 1:2 with steps lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 9 every 6::1 using 1:2 with points lc rgb "#D55E00" dt 2 pt 5 notitle, "fixed_budget_ecdf_dim20.dat" index 10 using 1:2 with steps lw 2 lc rgb "#009E73" dt 3 notitle, "" index 10 every 14::1 using 1:2 with points lc rgb "#009E73" dt 3 pt 9 notitle, "fixed_budget_ecdf_dim20.dat" index 11 using 1:2 with steps lw 2 lc rgb "#CC79A7" dt 4 notitle, "" index 11 every 13::1 using 1:2 with points lc rgb "#CC79A7" dt 4 pt 11 notitle
    set lmargin at screen 0.02
    set rmargin at screen 0.98
    set tmargin at screen 0.12447257383966248
    set bmargin at screen 0.010548523206751037
    unset border
    unset tics
    unset title
    unset xlabel
    unset ylabel
    unset grid
    unset logscale x
    set xrange [0:1]
    set key center center horizontal width 2
    plot NaN with linespoints lw 2 lc rgb "#0072B2" dt 1 pt 7 title "mdp", NaN with linespoints lw 2 lc rgb "#D55E00" dt 2 pt 5 title "cmaes:restarts=ipop", NaN with linespoints lw 2 lc rgb "#009E73" dt 3 pt 9 title "random_search", NaN with linespoints lw 2 lc rgb "#CC79A7" dt 4 pt 11 title "adam:gradient=fd"
    unset multiplot
    unset output
}
